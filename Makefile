# backupdoctor - why did the photos stop backing up?
#
#   make            the backupdoctor binary
#   make check      every test (unit, golden, end to end), then once more under ASan+UBSan,
#                   then the main paths under valgrind
#   make demo       the diagnosis of sample phones
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and the tests need

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
DATADIR  = $(PREFIX)/share/backupdoctor
MANDIR   = $(PREFIX)/share/man

CC      ?= cc
PKGS     = ncursesw jansson libimobiledevice-1.0 libplist-2.0 libusbmuxd-2.0 sqlite3 libusb-1.0 libcurl
# ncursesw's -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 would clash with our -D_GNU_SOURCE
PKG_CFLAGS := $(filter-out -D_DEFAULT_SOURCE -D_XOPEN_SOURCE%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
           -DBD_VERSION='"$(VERSION)"' -DBD_RULES_DIR='"$(DATADIR)/rules"'
LDLIBS   = $(PKG_LIBS) -lm

# The engine: everything but the command line.
LIB_SRCS = src/xalloc.c src/diag.c src/value.c src/facts.c src/factsfile.c \
           src/rules-lex.c src/rules-parse.c src/rules-check.c src/rules-eval.c \
           src/rules-print.c src/diagnose.c src/report.c src/report-text.c \
           src/report-json.c src/report-md.c src/report-html.c src/parse-android.c src/capture.c src/adb.c \
           src/probe.c src/ios.c src/parse-ios.c \
           src/redact.c src/shoplog.c src/post.c src/devrec.c src/usb.c src/parse-usb.c src/net.c src/parse-net.c \
           src/config.c
CMD_SRCS = src/main.c src/cmd-common.c src/cmd-devices.c src/cmd-scan.c src/cmd-capture.c \
           src/cmd-analyze.c src/cmd-rules.c src/cmd-complete.c src/cmd-net.c \
           src/cmd-info.c src/cmd-log.c src/cmd-shop.c src/cmd-check.c src/tui.c
UNIT_TESTS = tests/unit/test-value tests/unit/test-rules tests/unit/test-lint tests/unit/test-capture \
           tests/unit/test-diagnose tests/unit/test-factsfile tests/unit/test-parse-android \
           tests/unit/test-parse-ios

B ?= build
LIB_OBJS = $(LIB_SRCS:src/%.c=$(B)/%.o)
CMD_OBJS = $(CMD_SRCS:src/%.c=$(B)/%.o)

DEBIAN_PACKAGES = gcc make pkg-config libjansson-dev libcmocka-dev libsqlite3-dev \
           libncurses-dev libimobiledevice-dev libusbmuxd-dev libplist-dev \
           libusb-1.0-0-dev libcurl4-openssl-dev valgrind python3 groff-base adb \
           libimobiledevice-utils ideviceinstaller openssl umockdev tmux

.PHONY: all check test unit golden e2e asan-check valgrind-check sim-check demo install deps clean bench \
        update-golden fuzz

all: backupdoctor

backupdoctor: $(B)/backupdoctor
	@cp $< $@.tmp && mv -f $@.tmp $@

$(B)/backupdoctor: $(CMD_OBJS) $(B)/libbd.a
	@echo "  LD      $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $(CMD_OBJS) $(B)/libbd.a $(LDLIBS)

$(B)/libbd.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(B)/%.o: src/%.c src/*.h Makefile
	@mkdir -p $(B)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(B)/libbd.a
	@mkdir -p $(B)/tests/unit
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(B)/libbd.a $(shell pkg-config --libs cmocka) $(LDLIBS)

# ---- tests ----
# BD is the binary under test; SRCDIR lets the scripts find fixtures.
test: unit golden e2e

unit: $(UNIT_TESTS:%=$(B)/%)
	@SRCDIR=$(CURDIR) sh tests/unit/run.sh $^

golden: $(B)/backupdoctor
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/golden/run.sh

e2e: $(B)/backupdoctor
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/e2e/run.sh

update-golden: $(B)/backupdoctor
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) UPDATE=1 sh tests/golden/run.sh

# Each runner adds its counts to BD_TOTALS; the last line is the sum.
check: deps
	@$(MAKE) -s all
	@rm -f build/totals
	@BD_TOTALS=$(CURDIR)/build/totals $(MAKE) -s test
	@BD_TOTALS=$(CURDIR)/build/totals $(MAKE) -s sim-check
	@BD_TOTALS=$(CURDIR)/build/totals $(MAKE) -s asan-check
	@BD_TOTALS=$(CURDIR)/build/totals $(MAKE) -s valgrind-check
	@awk '{ p += $$2; f += $$3 } END { printf "check: %d passed, %d failed\n", p, f; exit f > 0 }' build/totals

asan-check:
	$(MAKE) B=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	    LDFLAGS=-fsanitize=address,undefined test

# The simulated phones against Debian's real adb and libimobiledevice tools.
sim-check:
	@SRCDIR=$(CURDIR) sh tests/sim/run.sh

valgrind-check: $(B)/backupdoctor
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/e2e/valgrind.sh

# Speed, measured as ratios in one run: our scan against the naive way.
bench: deps all
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/bench/bench-android.sh
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/bench/bench-ios.sh

fuzz:
	$(MAKE) -C tests/fuzz

demo: deps all
	@BD=$(CURDIR)/$(B)/backupdoctor SRCDIR=$(CURDIR) sh tests/demo.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 backupdoctor $(DESTDIR)$(BINDIR)/backupdoctor
	install -m 644 rules/*.rules rules/*.txt $(DESTDIR)$(DATADIR)/rules/
	install -m 644 man/backupdoctor.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/backupdoctor-rules.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 completions/backupdoctor.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/backupdoctor
	install -m 644 completions/_backupdoctor $(DESTDIR)$(PREFIX)/share/zsh/site-functions/
	install -m 644 completions/backupdoctor.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/

# Install what is missing, as root or through sudo; say what to do otherwise.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	else echo "deps: missing Debian packages:$$missing" >&2; \
	     echo "deps: run as root: apt-get install$$missing" >&2; exit 1; fi; \
	echo "deps: installing$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$SUDO apt-get install -y --no-install-recommends $$missing || \
	{ $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends $$missing; }

clean:
	rm -rf build build-asan backupdoctor
