"""Local development: debug on unless the environment says otherwise."""

from config.env import env_bool

from .base import *  # noqa: F401,F403

DEBUG = env_bool("DJANGO_DEBUG", True)
