import type { Rule } from '../../engine/rule';
import djangoMarkSafe from './django-mark-safe';
import jinja2AutoescapeFalse from './jinja2-autoescape-false';
import makoTemplates from './mako-templates';
import markupsafeMarkup from './markupsafe-markup';
import renderTemplateString from './render-template-string';
import templateAutoescapeOff from './template-autoescape-off';
import templateSafeFilter from './template-safe-filter';

export const templatesRules: Rule[] = [
  jinja2AutoescapeFalse,
  djangoMarkSafe,
  markupsafeMarkup,
  renderTemplateString,
  templateSafeFilter,
  templateAutoescapeOff,
  makoTemplates,
];
