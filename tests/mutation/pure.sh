#!/usr/bin/env bash
# Mutation-test the pure rules in core/ against the unit tests with mutmut (configured in pyproject.toml).
# Usage: tests/mutation/pure.sh [mutant name patterns]    e.g. tests/mutation/pure.sh 'core.messaging.masking.*'
# Without patterns it mutates every rule below. Survivors are listed at the end; `.venv/bin/mutmut show NAME`
# prints one as a diff. Runs niced on two workers; MUTMUT_CHILDREN changes the number.
set -euo pipefail
cd "$(dirname "$0")/../.."

RULES=(
  'core.viewings.slots.*'
  'core.people.quiet_hours.*'
  'core.offers.amounts.*'
  'core.messaging.masking.*'
  'core.phones.*'
  'core.listings.authz.*'
  'core.message_log.delivery_rules.*'
  'core.offers.rules.x_minimum_amount__*'
  'core.offers.rules.x_share_of_asking__*'
  'core.offers.rules.x_check_amount__*'
  'core.offers.rules.x_amount_from_text__*'
  'core.offers.rules.x_expiry_of__*'
  'core.offers.rules.x_across__*'
  'core.offers.rules.x_is_open__*'
  'core.offers.rules.x_check_open__*'
  'core.people.otp.x_code_hash__*'
  'core.people.otp.x_read_code__*'
)
[ $# -gt 0 ] && RULES=("$@")

nice -n 10 .venv/bin/mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "${RULES[@]}"
.venv/bin/mutmut export-cicd-stats >/dev/null
python3 - <<'PY'
import json
stats = json.load(open("mutants/mutmut-cicd-stats.json"))
tried = stats["killed"] + stats["survived"] + stats["no_tests"] + stats["timeout"] + stats["suspicious"]
caught = stats["killed"] + stats["timeout"]
print(f"mutants: {tried}, killed: {caught}, survived: {stats['survived']}, no tests: {stats['no_tests']}")
print(f"kill rate: {100 * caught / max(tried, 1):.1f}%")
PY
.venv/bin/mutmut results | grep -v ": not checked" || true
