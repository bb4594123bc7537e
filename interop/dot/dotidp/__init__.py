"""A minimal Django project serving django-oauth-toolkit's OpenID Connect
provider for the interop suite (settings, urls, claims, login template)."""
