/*
 * Unit tests of the plain-C funnel core, run outside the server by test/run.
 * Prints one TAP line per check.
 */
#include <stdint.h>
#include <string.h>

#include "pipeline_core.h"
#include "unit.h"

int
main(void)
{
	int64_t		counts[4] = {0, 0, 0, 0};
	int64_t		reached[4];
	int64_t		expected_reached[4] = {4, 3, 1, 1};
	int64_t		other[4] = {1, 1, 1, 1};
	int64_t		big[2] = {INT64_MAX, 0};
	int64_t		one[2] = {1, 0};
	int64_t		negative[2] = {1, -1};
	int64_t		before[4];

	check(spm_funnel_check_stages(1) == SPM_PIPELINE_OK, "a one-stage funnel is valid");
	check(spm_funnel_check_stages(SPM_FUNNEL_MAX_STAGES) == SPM_PIPELINE_OK, "the largest funnel is valid");
	check(spm_funnel_check_stages(0) == SPM_PIPELINE_BAD_STAGES, "a zero-stage funnel is refused");
	check(spm_funnel_check_stages(SPM_FUNNEL_MAX_STAGES + 1) == SPM_PIPELINE_BAD_STAGES, "a funnel past the limit is refused");
	check(spm_funnel_check_stages(-5) == SPM_PIPELINE_BAD_STAGES, "a negative funnel length is refused");

	check(spm_funnel_count(counts, 4, 1) == SPM_PIPELINE_OK && spm_funnel_count(counts, 4, 2) == SPM_PIPELINE_OK &&
		  spm_funnel_count(counts, 4, 2) == SPM_PIPELINE_OK && spm_funnel_count(counts, 4, 4) == SPM_PIPELINE_OK,
		  "deals are counted at their furthest stage");
	check(counts[0] == 1 && counts[1] == 2 && counts[2] == 0 && counts[3] == 1, "the counts are per stage");
	check(spm_funnel_count(counts, 4, 0) == SPM_PIPELINE_STAGE_RANGE, "stage 0 is out of range");
	check(spm_funnel_count(counts, 4, 5) == SPM_PIPELINE_STAGE_RANGE, "a stage past the last is out of range");
	check(spm_funnel_count(counts, 4, INT64_MIN) == SPM_PIPELINE_STAGE_RANGE, "the smallest stage is out of range");
	check(spm_funnel_count(counts, 0, 1) == SPM_PIPELINE_BAD_STAGES, "counting into an impossible funnel is refused");
	check(spm_funnel_count(big, 2, 1) == SPM_PIPELINE_OVERFLOW && big[0] == INT64_MAX, "a full counter is not wrapped");

	check(spm_funnel_reached(counts, 4, reached) == SPM_PIPELINE_OK &&
		  memcmp(reached, expected_reached, sizeof(reached)) == 0,
		  "reached counts the deals at a stage or beyond");
	check(spm_funnel_reached(negative, 2, reached) == SPM_PIPELINE_OVERFLOW, "a negative count is refused");
	big[0] = INT64_MAX;
	big[1] = 1;
	check(spm_funnel_reached(big, 2, reached) == SPM_PIPELINE_OVERFLOW, "a reached count past 64 bits is refused");

	check(spm_funnel_merge(counts, other, 4) == SPM_PIPELINE_OK &&
		  counts[0] == 2 && counts[1] == 3 && counts[2] == 1 && counts[3] == 2, "merge adds stage by stage");
	big[0] = INT64_MAX;
	big[1] = 0;
	memcpy(before, big, sizeof(big));
	check(spm_funnel_merge(big, one, 2) == SPM_PIPELINE_OVERFLOW && memcmp(big, before, sizeof(big)) == 0,
		  "an overflowing merge leaves the counts as they were");
	check(spm_funnel_merge(one, negative, 2) == SPM_PIPELINE_OVERFLOW && one[0] == 1 && one[1] == 0,
		  "merging a negative count is refused");
	return done();
}
