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
	u32 woken_by_peer_pct;   /* wakeups whose waker was another thread of the same game */
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

/* The frame chain of a game: a driver (main/sim) wakes the render thread, which hands each frame
 * to a submitter. Render sits in the middle of the chain (woken by a peer, wakes a peer); the
 * submitter is woken by render (and by its fence timer) and wakes nobody; audio is timer-driven
 * with short, regular bursts and wakes nobody; input handlers wake right after input events. */
static inline u32 gs_classify(const struct gs_behaviour *b)
{
	if (b->nr_wakeups < GS_ROLE_MIN_SAMPLES)
		return GS_ROLE_WORKER;
	if (b->input_wake_pct >= 50)
		return GS_ROLE_INPUT;
	if (gs_frame_paced(b->avg_period_ns) && b->woken_by_peer_pct >= 50 &&
	    b->wakes_peer_pct >= 50)
		return GS_ROLE_RENDER;
	if (b->avg_period_ns >= 2000000ULL && b->avg_period_ns <= 50000000ULL &&
	    b->woken_by_render_pct >= 30 && b->wakes_peer_pct < 50)
		return GS_ROLE_GPU_SUBMIT;
	/* Audio: timer-driven, short regular bursts using under 30 % of the period. The period
	 * bound is loose (1–40 ms) because an audio thread that is starved skips periods, and a
	 * starved audio thread is exactly the one that needs recognising. "Timer-driven" allows up
	 * to half peer wakeups: a timer interrupt that lands while a peer runs looks like a wakeup
	 * by that peer. */
	if (b->avg_period_ns >= 1000000ULL && b->avg_period_ns <= 40000000ULL &&
	    b->avg_burst_ns < 3000000ULL && b->avg_burst_ns * 100 < b->avg_period_ns * 30 &&
	    b->woken_by_peer_pct < 50 && b->wakes_peer_pct < 50)
		return GS_ROLE_AUDIO;
	return GS_ROLE_WORKER;
}

#endif /* GAMESCHED_ROLES_H */
