"""Django-style settings for the admin site."""

SECRET_KEY = "django-insecure-9f3c0c6d61c3c2e7b2c5a2b41a6f9d88"
DEBUG = True
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "corsheaders"]

CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = True

SESSION_COOKIE_SECURE = False
