"""Choice ids of the flows about the person: onboarding, proving a phone, language and settings."""

from __future__ import annotations

from bots.dialog.routes import WORD, ArgRoute, Route

ONBOARDING = "onboarding"
VERIFY = "verify"
LANGUAGE = "language"
SETTINGS = "settings"

role = ArgRoute(ONBOARDING, "role", WORD)
keep_name = Route(ONBOARDING, "name", "keep")

send_here = Route(VERIFY, "here")
other_number = Route(VERIFY, "other")
resend = Route(VERIFY, "resend")

set_language = ArgRoute(LANGUAGE, "set", WORD)

settings = Route(SETTINGS, "show")
language = Route(SETTINGS, "language")
timezone = Route(SETTINGS, "timezone")
quiet = Route(SETTINGS, "quiet")
set_quiet = ArgRoute(SETTINGS, "quiet_set", WORD)
verify = Route(SETTINGS, "verify")
reach = Route(SETTINGS, "reach")
set_reach = ArgRoute(SETTINGS, "reach_set", WORD)
