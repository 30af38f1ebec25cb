/* How a game thread's role is inferred from its behaviour. Pure functions, compiled both into
 * the scheduler and into the host unit tests (tests/unit/policy). The inputs are decaying
 * averages the scheduler keeps per thread; names never decide a role here (the name table is a
 * separate, weaker hint applied only when behaviour says "worker").
 *
 * The rules look at structure, not at one game's numbers: what wakes the thread (an input event,
 * a peer thread of its game, or neither: its own timer or another process), whom it wakes (a
 * peer, and whether that peer is the one that woke it or a further stage), and its duty cycle
 * relative to its own period. Votes are majorities or quarters of the recent wakeups, and a role
 * already held needs only half the evidence to stay (hysteresis), so that a thread whose wakeups
 * sit near a threshold does not flap between roles. */
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
	u64 avg_period_ns;       /* time between wakeups */
	u64 avg_burst_ns;        /* CPU time used per wakeup */
	u32 input_wake_pct;      /* wakeups that followed an input event on the waking CPU */
	u32 woken_by_peer_pct;   /* wakeups whose waker was another thread of the same game */
	u32 woken_by_render_pct; /* wakeups whose waker was this game's render thread */
	u32 wakes_peer_pct;      /* activations in which it woke another thread of its game */
	u32 forwards_pct;        /* activations fed by a peer in which it woke a different peer */
	u32 nr_wakeups;          /* samples so far (saturating) */
};

#define GS_ROLE_MIN_SAMPLES 8

/* Display refresh rates from 10 to 500 Hz: a period a frame loop can have, even one that is
 * skipping frames under load. */
static inline int gs_frame_paced(u64 period_ns)
{
	return period_ns >= 2000000ULL && period_ns <= 100000000ULL;
}

/* Paced often enough to be latency-critical (audio buffers of 0.5 ms and up, frame loops down to
 * 10 Hz); a thread that wakes less often is background housekeeping. */
static inline int gs_latency_paced(u64 period_ns)
{
	return period_ns >= 500000ULL && period_ns <= 100000000ULL;
}

/* Hysteresis: a role already held keeps it on half the evidence that was needed to enter it.
 * at_least: pct >= threshold (held: >= threshold / 2).
 * below:    pct < threshold (held: < threshold * 3 / 2). */
static inline int gs_at_least(u32 pct, u32 threshold, int held)
{
	return pct >= (held ? threshold / 2 : threshold);
}

static inline int gs_below(u32 pct, u32 threshold, int held)
{
	return pct < (held ? threshold * 3 / 2 : threshold);
}

/* The share of its own period the thread runs for, in percent (saturating at 100). */
static inline u32 gs_duty_pct(const struct gs_behaviour *b)
{
	if (b->avg_period_ns == 0 || b->avg_burst_ns >= b->avg_period_ns)
		return 100;
	return (u32)(b->avg_burst_ns * 100 / b->avg_period_ns);
}

/* Roles, in the order they are tested:
 * - input: most wakeups come right after an input event.
 * - gpu_submit: render hands it work (a quarter or more of its wakeups come from render) and it
 *   passes nothing on; its other wakeups are its own (a fence, a timer).
 * - render: fed by a peer and forwarding to a further peer at a frame rate: the middle of a
 *   producer → consumer chain.
 * - audio: paced by its own timer (not by peers), wakes no peer, short bursts (under 30 % of its
 *   period), at least 10 times a second. This is any timer-paced latency-critical thread: an
 *   audio mixer, or a present thread paced by vsync.
 * - worker: the rest: frame drivers that fan work out, job workers that answer whoever fed
 *   them, CPU-heavy threads. */
static inline u32 gs_classify(const struct gs_behaviour *b, u32 current)
{
	int held;

	if (b->nr_wakeups < GS_ROLE_MIN_SAMPLES)
		return GS_ROLE_WORKER;
	if (gs_at_least(b->input_wake_pct, 50, current == GS_ROLE_INPUT))
		return GS_ROLE_INPUT;
	held = current == GS_ROLE_GPU_SUBMIT;
	if (gs_at_least(b->woken_by_render_pct, 25, held) && gs_below(b->forwards_pct, 25, held))
		return GS_ROLE_GPU_SUBMIT;
	held = current == GS_ROLE_RENDER;
	if (gs_at_least(b->woken_by_peer_pct, 50, held) && gs_at_least(b->forwards_pct, 25, held) &&
	    gs_frame_paced(b->avg_period_ns))
		return GS_ROLE_RENDER;
	held = current == GS_ROLE_AUDIO;
	if (gs_below(b->woken_by_peer_pct, 50, held) && gs_below(b->wakes_peer_pct, 50, held) &&
	    gs_below(gs_duty_pct(b), 30, held) && gs_latency_paced(b->avg_period_ns))
		return GS_ROLE_AUDIO;
	return GS_ROLE_WORKER;
}

#endif /* GAMESCHED_ROLES_H */
