# spm: PGXS build. The version lives in spm.control only.
EXTENSION  = spm
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = spm
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from each area's declarations, kept next to its C file.
AREA_SQL   = src/spm.sql $(filter-out src/spm.sql,$(sort $(wildcard src/*.sql)))

# Releases are frozen: spm--<release>.sql and spm--<a>--<b>.sql files are committed as
# released.  The unreleased version's upgrade script is assembled from the areas that the
# last release did not have (RELEASED_SQL lists the ones it had).
LAST_RELEASE = 0.1.0
RELEASED_SQL = src/spm.sql src/quota.sql
UPGRADE      = $(EXTENSION)--$(LAST_RELEASE)--$(EXTVERSION).sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(UPGRADE)
DATA       = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CFLAGS  = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-cast-function-type

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(AREA_SQL)
	cat $^ > $@

$(UPGRADE): $(filter-out $(RELEASED_SQL),$(AREA_SQL))
	printf '%s\n' "-- spm upgrade $(LAST_RELEASE) -> $(EXTVERSION): the areas new in $(EXTVERSION), assembled by the Makefile." \
		"\\echo Use \"ALTER EXTENSION spm UPDATE\" to load this file. \\quit" > $@
	cat /dev/null $^ >> $@

# PGXS tracks no header dependencies: every object depends on every spm header.
$(OBJS): $(wildcard src/*.h)
