/*
 * pipeline_core.c: funnel counting in plain C, with checked counters: a count that
 * would pass 2^63 is an error status, never a wrapped number.  No backend calls.
 */
#include "pipeline_core.h"


SpmPipelineStatus
spm_funnel_check_stages(int64_t stages)
{
	return stages >= 1 && stages <= SPM_FUNNEL_MAX_STAGES
		? SPM_PIPELINE_OK : SPM_PIPELINE_BAD_STAGES;
}

SpmPipelineStatus
spm_funnel_count(int64_t *counts, int64_t stages, int64_t stage)
{
	if (spm_funnel_check_stages(stages) != SPM_PIPELINE_OK)
		return SPM_PIPELINE_BAD_STAGES;
	if (stage < 1 || stage > stages)
		return SPM_PIPELINE_STAGE_RANGE;
	if (counts[stage - 1] == INT64_MAX)
		return SPM_PIPELINE_OVERFLOW;
	counts[stage - 1]++;
	return SPM_PIPELINE_OK;
}

SpmPipelineStatus
spm_funnel_reached(const int64_t *counts, int64_t stages, int64_t *reached)
{
	int64_t		sum = 0;
	int64_t		k;

	if (spm_funnel_check_stages(stages) != SPM_PIPELINE_OK)
		return SPM_PIPELINE_BAD_STAGES;
	for (k = stages - 1; k >= 0; k--)
	{
		if (counts[k] < 0 || sum > INT64_MAX - counts[k])
			return SPM_PIPELINE_OVERFLOW;
		sum += counts[k];
		reached[k] = sum;
	}
	return SPM_PIPELINE_OK;
}

SpmPipelineStatus
spm_funnel_merge(int64_t *counts, const int64_t *other, int64_t stages)
{
	int64_t		i;

	if (spm_funnel_check_stages(stages) != SPM_PIPELINE_OK)
		return SPM_PIPELINE_BAD_STAGES;
	/* check every stage first, so a failed merge leaves counts as they were */
	for (i = 0; i < stages; i++)
		if (counts[i] < 0 || other[i] < 0 || counts[i] > INT64_MAX - other[i])
			return SPM_PIPELINE_OVERFLOW;
	for (i = 0; i < stages; i++)
		counts[i] += other[i];
	return SPM_PIPELINE_OK;
}
