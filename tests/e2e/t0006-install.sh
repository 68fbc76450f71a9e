# t0006-install: make install lays out binary, rules, man pages and
# completions under DESTDIR/PREFIX, and the installed tool works.
. ./lib.sh

run env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SRCDIR" install DESTDIR="$tmp/dest" PREFIX=/opt/bd
expect_status 0 "make install"
for f in bin/backupdoctor share/backupdoctor/rules/apps.rules share/man/man1/backupdoctor.1 \
	share/man/man5/backupdoctor-rules.5 share/bash-completion/completions/backupdoctor \
	share/zsh/site-functions/_backupdoctor share/fish/vendor_completions.d/backupdoctor.fish; do
	[ -f "$tmp/dest/opt/bd/$f" ] && ok || fail "installed $f"
done
run "$tmp/dest/opt/bd/bin/backupdoctor" --rules "$tmp/dest/opt/bd/share/backupdoctor/rules" rules lint
expect_status 0 "the installed rules lint clean"

finish
