# spm: PGXS build. spm.control names the version this tree builds; META.json (PGXN's) names
# the last release.
EXTENSION  = spm
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
RELEASE    = $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' META.json | head -n 1)

MODULE_big = spm
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from each area's declarations, kept next to its C file.
AREA_SQL   = src/spm.sql $(filter-out src/spm.sql,$(sort $(wildcard src/*.sql)))

# Released scripts are frozen and committed: spm--<release>.sql and every upgrade script
# spm--<a>--<b>.sql.  When spm.control names a version past META.json's release, that is the
# development version: its install script is built from $(AREA_SQL) (git ignores it), and its
# upgrade script from the release, $(UPGRADE), is committed and edited by hand: a change that
# adds or alters an object in src/*.sql writes the same change there (sql/upgrade.sql checks
# that every release, updated, equals a fresh install; make check-release that the scripts
# exist).  To release the development version X: make; commit spm--X.sql as built (an
# exception in .gitignore) with META.json's versions set to X (make dist there); then open Y:
# default_version = 'Y' in spm.control and a new spm--X--Y.sql holding only the header.
ifneq ($(EXTVERSION),$(RELEASE))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
UPGRADE    = $(EXTENSION)--$(RELEASE)--$(EXTVERSION).sql
endif
DATA       = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

# Warnings stay warnings here: a DBA's make must not fail on a newer compiler's opinion.
# CI builds with make COPT=-Werror, with gcc and with clang (test/run check).
PG_CFLAGS  = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-cast-function-type

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# With CC=clang: PGXS's CFLAGS are the server's gcc flags (-fexcess-precision=standard,
# -Wimplicit-fallthrough=3) and its headers use gnu_printf.  Silence what clang says about
# those flags and headers, not about spm's code.
ifneq ($(findstring clang,$(notdir $(CC))),)
override CPPFLAGS := -isystem $(includedir_server) $(CPPFLAGS)
override CFLAGS += -Wno-unknown-warning-option -Wno-ignored-optimization-argument
endif

$(EXTENSION)--$(EXTVERSION).sql: $(AREA_SQL)
	cat $^ > $@

# PGXS tracks no header dependencies: every object depends on every spm header.
$(OBJS): $(wildcard src/*.h)

.PHONY: check-release dist

# Fails when a script the versions need is missing or META.json disagrees with the tree.
check-release:
	@test "$$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' META.json | sort -u)" = "$(RELEASE)" \
		|| { echo "check-release: META.json's version fields differ"; exit 1; }
	@for f in $(EXTENSION)--$(RELEASE).sql \
			$$(sed -n 's/.*"\(doc\)\{0,1\}file": *"\([^"]*\)".*/\2/p' META.json); do \
		test -f "$$f" || { echo "check-release: $$f is missing"; exit 1; }; \
	done
ifdef UPGRADE
	@test -f $(UPGRADE) || { echo "check-release: $(UPGRADE) is missing: the upgrade script of" \
		"the development version is committed and edited by hand (see the Makefile)"; exit 1; }
	@! git ls-files --error-unmatch $(DATA_built) >/dev/null 2>&1 \
		|| { echo "check-release: $(DATA_built) is committed: set META.json's versions to $(EXTVERSION)"; exit 1; }
endif
	@echo "check-release: $(if $(UPGRADE),development version $(EXTVERSION) over release $(RELEASE),release $(RELEASE)): scripts present"

# The PGXN archive of the release this commit is: spm-<version>.zip (git ignores it).
dist: check-release
	@test "$(EXTVERSION)" = "$(RELEASE)" \
		|| { echo "dist: $(EXTVERSION) is the development version; META.json's release $(RELEASE) is archived at its own commit"; exit 1; }
	@git diff --quiet HEAD || { echo "dist: commit the changes first: the archive is HEAD"; exit 1; }
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(EXTENSION)-$(EXTVERSION).zip HEAD
