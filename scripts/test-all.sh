#!/usr/bin/env bash
# Every test, on a fresh clone as on a developer's machine: installs what is missing, builds, lints,
# runs n8n's community-package scan, the unit and in-process workflow tests (jest), the end-to-end tests in a
# real n8n (each version of scripts/n8n-versions.json), the same in n8n's queue mode on the newest one (Redis,
# Postgres, main, 2 workers, a webhook process; redis-server is installed from Debian's packages where
# missing), the demo's self-test, and the editor check in a real browser.
# The last line is the total: `N passed, M failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

step() { printf '\n== %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund || exit 1
fi

step "build"
npm run build || exit 1

step "lint"
npm run lint || exit 1

step "n8n's community-package scan (npm run scan: source and packed tarball)"
# The scanner's own rules; an error here is what n8n's verification would refuse.
if node scripts/scan.js --skip-build 2>&1 | tee .tmp/scan.log; then scan_passed=1; scan_failed=0; else scan_passed=0; scan_failed=1; fi

step "unit and workflow tests (jest)"
npx jest --json --outputFile=.tmp/jest.json
jest_status=$?
read -r jest_passed jest_failed < <(node -e '
  const r = require("./.tmp/jest.json");
  console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);' 2>/dev/null || echo "0 1")

# Every n8n version of scripts/n8n-versions.json (newest first), each installed into the cache folder by
# scripts/ensure-n8n.sh; the counts are summed.
mapfile -t n8n_versions < <(node -p 'require("./scripts/n8n-versions.json").n8n.join("\n")')
e2e_passed=0
e2e_failed=0
e2e_status=0
e2e_times=""
for version in "${n8n_versions[@]}"; do
  step "end-to-end tests (real n8n $version)"
  started=$SECONDS
  node scripts/e2e.js --skip-build --n8n "$version" 2>&1 | tee ".tmp/e2e-$version.log"
  status=${PIPESTATUS[0]}
  read -r passed failed < <(grep -oE '^[0-9]+ passed, [0-9]+ failed' ".tmp/e2e-$version.log" | tail -n 1 | sed -E 's/ passed, / /; s/ failed//' || true)
  passed=${passed:-0}
  failed=${failed:-1}
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  e2e_passed=$((e2e_passed + passed))
  e2e_failed=$((e2e_failed + failed))
  [ "$status" -ne 0 ] && e2e_status=$status
  e2e_times="$e2e_times n8n $version: $((SECONDS - started)) s ($passed passed, $failed failed);"
done

step "end-to-end tests in queue mode (Redis, Postgres, n8n main + 2 workers + webhook process; n8n ${n8n_versions[0]})"
node scripts/e2e.js --skip-build --queue 2>&1 | tee .tmp/e2e-queue.log
queue_status=${PIPESTATUS[0]}
read -r queue_passed queue_failed < <(grep -oE '^[0-9]+ passed, [0-9]+ failed' .tmp/e2e-queue.log | tail -n 1 | sed -E 's/ passed, / /; s/ failed//' || true)
queue_passed=${queue_passed:-0}
queue_failed=${queue_failed:-1}

step "the README's main command (npm run demo -- --self-test)"
# The demo's own set-up, run once end to end: every example send, every trigger receiving its pushes.
if node scripts/demo.js --self-test; then demo_passed=1; demo_failed=0; else demo_passed=0; demo_failed=1; fi

step "the editor in a real browser (node scripts/editor-check.js)"
# The demo again, seen in Chromium: every node's panel, webhook URLs, credentials, search; no console error.
node scripts/editor-check.js --skip-build 2>&1 | tee .tmp/editor.log
editor_status=${PIPESTATUS[0]}
read -r editor_passed editor_failed < <(grep -oE '^editor: [0-9]+ passed, [0-9]+ failed' .tmp/editor.log | tail -n 1 | sed -E 's/^editor: //; s/ passed, / /; s/ failed//' || true)
editor_passed=${editor_passed:-0}
editor_failed=${editor_failed:-1}
if [ "$editor_status" -ne 0 ] && [ "$editor_failed" -eq 0 ]; then editor_failed=1; fi

printf '\njest: %s passed, %s failed; e2e: %s passed, %s failed; e2e queue mode: %s passed, %s failed; demo: %s passed, %s failed\n' \
  "$jest_passed" "$jest_failed" "$e2e_passed" "$e2e_failed" "$queue_passed" "$queue_failed" "$demo_passed" "$demo_failed"
printf 'scan: %s passed, %s failed; editor: %s passed, %s failed\n' "$scan_passed" "$scan_failed" "$editor_passed" "$editor_failed"
printf 'e2e per n8n version:%s\n' "$e2e_times"
if [ "$jest_status" -ne 0 ] && [ "$jest_failed" -eq 0 ]; then jest_failed=1; fi
if [ "$e2e_status" -ne 0 ] && [ "$e2e_failed" -eq 0 ]; then e2e_failed=1; fi
if [ "$queue_status" -ne 0 ] && [ "$queue_failed" -eq 0 ]; then queue_failed=1; fi
total_failed=$((jest_failed + e2e_failed + queue_failed + demo_failed + scan_failed + editor_failed))
echo "$((jest_passed + e2e_passed + queue_passed + demo_passed + scan_passed + editor_passed)) passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
