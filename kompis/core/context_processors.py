from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_info

LOCAL_NAMES = {
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
    "uk": "Українська",
}


def kompis(request: HttpRequest) -> dict[str, Any]:
    current = get_language() or settings.LANGUAGE_CODE
    try:
        bidi = get_language_info(current)["bidi"]
    except KeyError:
        bidi = False
    return {
        "language_links": [
            (code, LOCAL_NAMES.get(code, code), code == current) for code, _ in settings.LANGUAGES
        ],
        "text_direction": "rtl" if bidi else "ltr",
        "debug": settings.DEBUG,
    }
