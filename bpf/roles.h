/* How a game thread's role is inferred from its behaviour. Pure functions, compiled both into
 * the scheduler and into the host unit tests (tests/unit/policy). The inputs are decaying
 * averages the scheduler keeps per thread; names never decide a role here (the name table is a
 * separate, weaker hint applied only when behaviour says "worker"). */
#ifndef GAMESCHED_ROLES_H
#define GAMESCHED_ROLES_H

#include "intf.h"

/* Exponentially weighted moving average with weight 1/8 for the new sample. */
static inline u64 gs_ewma(u64 average, u64 sample)
{
	if (average == 0)
		return sample;
	return average - (average >> 3) + (sample >> 3);
}

/* Decaying event ratio kept as a percentage: hit → moves toward 100, miss → toward 0. */
static inline u32 gs_ratio_update(u32 ratio_pct, int hit)
{
	u32 target = hit ? 100 : 0;

	if (target > ratio_pct)
		return ratio_pct + (target - ratio_pct + 7) / 8;
	return ratio_pct - (ratio_pct - target + 7) / 8;
}

struct gs_behaviour {
	u64 avg_period_ns;     /* time between wakeups */
	u64 avg_burst_ns;      /* CPU time used per wakeup */
	u32 input_wake_pct;    /* wakeups that followed an input event on the waking CPU */
	u32 woken_by_render_pct; /* wakeups whose waker was this game's render thread */
	u32 wakes_peer_pct;    /* activations in which it woke another thread of its game */
	u32 nr_wakeups;        /* samples so far (saturating) */
};

#define GS_ROLE_MIN_SAMPLES 8

/* Frame-paced: between 250 fps and 20 fps. */
static inline int gs_frame_paced(u64 period_ns)
{
	return period_ns >= 4000000ULL && period_ns <= 50000000ULL;
}

static inline u32 gs_classify(const struct gs_behaviour *b)
{
	if (b->nr_wakeups < GS_ROLE_MIN_SAMPLES)
		return GS_ROLE_WORKER;
	/* Input handlers sleep on the device and wake right after its events. */
	if (b->input_wake_pct >= 50)
		return GS_ROLE_INPUT;
	if (gs_frame_paced(b->avg_period_ns)) {
		/* The render thread's hand-off wakes the submitter each frame. */
		if (b->woken_by_render_pct >= 50)
			return GS_ROLE_GPU_SUBMIT;
		/* Render: frame-paced, real work each frame, and it hands off to a peer. */
		if (b->wakes_peer_pct >= 50 && b->avg_burst_ns >= 500000ULL)
			return GS_ROLE_RENDER;
	}
	/* Audio: short bursts at a fast, regular period (1–12 ms), using under 30 % of it, and no
	 * frame hand-off (which would make it render or submit above). */
	if (b->avg_period_ns >= 1000000ULL && b->avg_period_ns <= 12000000ULL &&
	    b->avg_burst_ns < 1500000ULL && b->avg_burst_ns * 100 < b->avg_period_ns * 30)
		return GS_ROLE_AUDIO;
	return GS_ROLE_WORKER;
}

#endif /* GAMESCHED_ROLES_H */
