/*
 * pipeline_core.h: the plain-C part of spm's pipeline analytics (no backend calls),
 * so that unit tests drive it outside the server.
 */
#ifndef SPM_PIPELINE_CORE_H
#define SPM_PIPELINE_CORE_H

#include <stddef.h>
#include <stdint.h>

typedef enum SpmPipelineStatus
{
	SPM_PIPELINE_OK = 0,
	SPM_PIPELINE_BAD_STAGES,	/* a funnel of fewer than 1 or more than SPM_FUNNEL_MAX_STAGES stages */
	SPM_PIPELINE_STAGE_RANGE,	/* a stage ordinal outside 1..stages */
	SPM_PIPELINE_OVERFLOW		/* a count past 64 bits */
} SpmPipelineStatus;

/* Funnels have at most this many stages (their state is one counter per stage). */
#define SPM_FUNNEL_MAX_STAGES 1000

/* Is stages a valid funnel length? */
extern SpmPipelineStatus spm_funnel_check_stages(int64_t stages);

/* Count one deal whose furthest stage is stage (1-based) in counts[0..stages-1]. */
extern SpmPipelineStatus spm_funnel_count(int64_t *counts, int64_t stages, int64_t stage);

/*
 * reached[k] = deals whose furthest stage is k + 1 or later: counts[k] + ... + counts[stages - 1].
 * SPM_PIPELINE_OVERFLOW when a count is negative or the sum passes 64 bits.
 */
extern SpmPipelineStatus spm_funnel_reached(const int64_t *counts, int64_t stages, int64_t *reached);

/* counts += other, stage by stage; counts is left as it was on failure. */
extern SpmPipelineStatus spm_funnel_merge(int64_t *counts, const int64_t *other, int64_t stages);

#endif
