/* The arithmetic that decides deadlines and slices, compiled both into the BPF scheduler and
 * into the host unit tests (tests/unit/policy). Pure functions of their arguments: no maps, no
 * helpers, no globals. */
#ifndef GAMESCHED_POLICY_H
#define GAMESCHED_POLICY_H

#include "intf.h"

#define GS_NSEC_PER_USEC 1000ULL
#define GS_NSEC_PER_MSEC 1000000ULL
#define GS_WEIGHT_DEFAULT 100ULL /* sched_ext weight of a nice-0 task */

static inline u64 gs_min(u64 a, u64 b) { return a < b ? a : b; }
static inline u64 gs_max(u64 a, u64 b) { return a > b ? a : b; }

/* Time a task consumed, scaled to virtual time by its weight: heavier tasks age slower. */
static inline u64 gs_scale_by_weight_inverse(u64 ns, u64 weight)
{
	if (weight == 0)
		weight = 1;
	return ns * GS_WEIGHT_DEFAULT / weight;
}

/* A task that slept long must not come back with a huge vtime credit and monopolise the CPU:
 * it may be at most lag_ns (weighted) behind the clock. */
static inline u64 gs_clamp_vtime(u64 task_vtime, u64 vtime_now, u64 lag_ns, u64 weight)
{
	u64 lag = lag_ns * weight / GS_WEIGHT_DEFAULT;
	u64 floor = vtime_now > lag ? vtime_now - lag : 0;

	return gs_max(task_vtime, floor);
}

/* Deadline = clamped vtime + the task's recent runtime (weighted). Tasks that run briefly
 * between sleeps (input handlers, audio, render hand-offs) get earlier deadlines than CPU hogs
 * of the same weight. boost_pct (0..90) moves the deadline earlier: it removes that share of the
 * runtime term and grants up to that share of the lag window as head start. The head start is
 * bounded by lag_ns, so a boosted task can overtake others but never starve them: the
 * starvation guard's bound still holds. */
static inline u64 gs_deadline(u64 clamped_vtime, u64 recent_runtime_ns, u64 weight, u64 lag_ns,
			      u32 boost_pct)
{
	u64 runtime_term = gs_scale_by_weight_inverse(recent_runtime_ns, weight);
	u64 head_start;

	if (boost_pct > 90)
		boost_pct = 90;
	runtime_term = runtime_term * (100 - boost_pct) / 100;
	head_start = lag_ns * boost_pct / 100;
	if (clamped_vtime + runtime_term < head_start)
		return 0;
	return clamped_vtime + runtime_term - head_start;
}

/* The slice shrinks as more tasks wait, so that each waiter gets a turn within about one
 * default slice, but never below slice_min_ns. */
static inline u64 gs_slice(u64 slice_ns, u64 slice_min_ns, u64 nr_waiting)
{
	return gs_max(slice_min_ns, slice_ns / (nr_waiting + 1));
}

/* Recent runtime: accumulates while the task runs, capped so that a hog's deadline offset is
 * bounded; halves each time the task sleeps so that a task that turns interactive recovers. */
static inline u64 gs_runtime_after_run(u64 recent_runtime_ns, u64 ran_ns, u64 cap_ns)
{
	return gs_min(recent_runtime_ns + ran_ns, cap_ns);
}

static inline u64 gs_runtime_after_sleep(u64 recent_runtime_ns)
{
	return recent_runtime_ns / 2;
}

/* Wait-time histogram bucket: [0,1) us → 0, [1,2) → 1, [2,4) → 2, ... last bucket open-ended. */
static inline u32 gs_wait_bucket(u64 wait_ns)
{
	u64 us = wait_ns / GS_NSEC_PER_USEC;
	u32 bucket = 0;

	while (us && bucket < GS_WAIT_HIST_BUCKETS - 1) {
		us >>= 1;
		bucket++;
	}
	return bucket;
}

#endif /* GAMESCHED_POLICY_H */
