/*
 * pipeline.h: what the pipeline area's two glue files share (pipeline.c: win rates,
 * summaries, funnels; wilson.c: Wilson bounds and the normal quantile).
 */
#ifndef SPM_PIPELINE_H
#define SPM_PIPELINE_H

#include "spm.h"

/* won and closed counts of a win rate: 22023 unless 0 <= won <= closed. */
extern void spm_check_won_closed(int64 won, int64 closed);

#endif
