import type { Rule } from '../../engine/rule';
import huggingfaceUnsafeDownload from './huggingface-unsafe-download';
import torchLoadUnsafe from './torch-load-unsafe';

export const mlRules: Rule[] = [torchLoadUnsafe, huggingfaceUnsafeDownload];
