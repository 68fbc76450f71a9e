# t0001-cli: usage, version, unknown words, and where the rules are found.
. ./lib.sh

run "$BD" --version
expect_status 0 "--version"
expect_out_contains "backupdoctor 0." "--version prints the version"

run "$BD"
expect_status 2 "no command"
expect_err_line "usage: backupdoctor [--rules DIR] [--no-color] COMMAND [OPTIONS] [ARGS]" "no command shows usage"

run "$BD" --help
expect_status 0 "--help"
expect_out_contains "  analyze " "--help lists analyze"

run "$BD" frobnicate
expect_status 2 "unknown command"
expect_err_line "backupdoctor: unknown command 'frobnicate'" "unknown command named"

run "$BD" --frob
expect_status 2 "unknown global option"
expect_err_line "backupdoctor: unknown option '--frob'" "unknown option named"

run "$BD" check </dev/null
expect_status 2 "check without a terminal"
expect_err_line "backupdoctor: check needs a terminal; for a report use 'backupdoctor scan' (or 'analyze FILE')" "check explained"

run "$BD" analyze --format pdf "$CASES/healthy-android.json"
expect_status 2 "bad --format"
expect_err_line "backupdoctor: --format: 'pdf' is not text, json, md or html" "bad format named"

run "$BD" analyze --fail-on sometimes x.json
expect_status 2 "bad --fail-on"
expect_err_line "backupdoctor: --fail-on: 'sometimes' is not confirmed, possible or never" "bad --fail-on named"

run "$BD" analyze
expect_status 2 "analyze without a file"

# Where the rules come from: --rules, then $BACKUPDOCTOR_RULES, then beside the binary.
mkdir -p "$tmp/bin"
cp "$BD" "$tmp/bin/backupdoctor"
cp -r "$RULES" "$tmp/bin/rules"
mkdir -p "$tmp/empty"
unset BACKUPDOCTOR_RULES
if [ ! -d /usr/local/share/backupdoctor/rules ] || [ "${BD_TEST_INSTALLED_RULES_OK:-}" ]; then
	run "$tmp/bin/backupdoctor" rules lint
	expect_status 0 "rules beside the binary"
	expect_out_contains "$tmp/bin/rules: ok:" "rules found beside the binary"
fi
BACKUPDOCTOR_RULES="$tmp/empty" run "$tmp/bin/backupdoctor" rules list
expect_status 2 "BACKUPDOCTOR_RULES wins over the binary's directory"
expect_err_line "$tmp/empty: no *.rules file in the rules directory" "the environment's directory was used"
BACKUPDOCTOR_RULES="$tmp/empty" run "$tmp/bin/backupdoctor" --rules "$RULES" rules list
expect_status 0 "--rules wins over BACKUPDOCTOR_RULES"
BACKUPDOCTOR_RULES="$tmp/empty" run "$tmp/bin/backupdoctor" rules --rules "$RULES" list
expect_status 0 "--rules after the command"
export BACKUPDOCTOR_RULES="$RULES"

finish
