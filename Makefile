# spm: PGXS build. The version lives in spm.control only.
EXTENSION  = spm
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = spm
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from each area's declarations, kept next to its C file.
AREA_SQL   = src/spm.sql $(filter-out src/spm.sql,$(sort $(wildcard src/*.sql)))
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA       = $(filter-out $(DATA_built),$(wildcard $(EXTENSION)--*--*.sql))

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CFLAGS  = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-cast-function-type

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(AREA_SQL)
	cat $^ > $@

# PGXS tracks no header dependencies: every object depends on every spm header.
$(OBJS): $(wildcard src/*.h)
