/* The arithmetic that decides deadlines, slices and preemption, compiled both into the BPF
 * scheduler and into the host unit tests (tests/unit/policy). Pure functions of their arguments:
 * no maps, no helpers, no globals. */
#ifndef GAMESCHED_POLICY_H
#define GAMESCHED_POLICY_H

#include "intf.h"

#define GS_NSEC_PER_USEC 1000ULL
#define GS_NSEC_PER_MSEC 1000000ULL
#define GS_WEIGHT_DEFAULT 100ULL /* sched_ext weight of a nice-0 task */
#define GS_BOOST_MAX 90U

static inline u64 gs_min(u64 a, u64 b) { return a < b ? a : b; }
static inline u64 gs_max(u64 a, u64 b) { return a > b ? a : b; }
static inline u64 gs_clamp(u64 v, u64 lo, u64 hi) { return gs_min(gs_max(v, lo), hi); }

/* Time a task consumed, scaled to virtual time by its weight: heavier tasks age slower. */
static inline u64 gs_scale_by_weight_inverse(u64 ns, u64 weight)
{
	if (weight == 0)
		weight = 1;
	return ns * GS_WEIGHT_DEFAULT / weight;
}

/* How far a task's vtime may run ahead of the clock. A nice-19 task (weight 1) is charged 100x
 * its CPU time: one tick of 4 ms puts it 400 ms ahead, and a run stretched by a stolen host CPU
 * (a virtual machine) puts any task seconds ahead. Its wait grows with that lead times the number
 * of runnable tasks per CPU, and the kernel ejects a scheduler that leaves a task waiting 5 s
 * (timeout_ms). 250 ms keeps a niced task's share near its weight's (it waits about 0.3 s per
 * runnable task per CPU) while bounding that wait. */
#define GS_VTIME_AHEAD_MAX_NS (250 * GS_NSEC_PER_MSEC)

/* A task that slept long must not come back with a huge vtime credit and monopolise the CPU:
 * it may be at most lag_ns behind the clock, less for a lighter (niced) task. Heavier tasks get
 * no extra credit: their advantage is that their vtime ages slower. Nor may it be more than
 * GS_VTIME_AHEAD_MAX_NS ahead: that bounds every task's wait. */
static inline u64 gs_clamp_vtime(u64 task_vtime, u64 vtime_now, u64 lag_ns, u64 weight)
{
	u64 lag = lag_ns * gs_min(weight, GS_WEIGHT_DEFAULT) / GS_WEIGHT_DEFAULT;
	u64 floor = vtime_now > lag ? vtime_now - lag : 0;

	return gs_clamp(task_vtime, floor, vtime_now + GS_VTIME_AHEAD_MAX_NS);
}

/* Deadline = clamped vtime + the task's recent runtime, weighted and capped at cap_ns. Tasks that
 * run briefly between sleeps (input handlers, audio, render hand-offs) get earlier deadlines than
 * CPU hogs of the same weight.
 *
 * Starvation is bounded by construction: a queued task's deadline is at most cap_ns after its
 * vtime, and every other task's deadline is at least (vtime clock - lag_ns - boost head start),
 * so once the clock has advanced by cap_ns + lag_ns past the waiting task's vtime no newcomer can
 * overtake it any more.
 *
 * boost_pct (0..90) moves the deadline earlier: it removes that share of the runtime term and
 * grants up to that share of the lag window as a head start. */
static inline u64 gs_deadline(u64 clamped_vtime, u64 recent_runtime_ns, u64 weight, u64 lag_ns,
			      u64 cap_ns, u32 boost_pct)
{
	u64 runtime_term = gs_min(gs_scale_by_weight_inverse(recent_runtime_ns, weight), cap_ns);
	u64 head_start;

	if (boost_pct > GS_BOOST_MAX)
		boost_pct = GS_BOOST_MAX;
	runtime_term = runtime_term * (100 - boost_pct) / 100;
	head_start = lag_ns * boost_pct / 100;
	if (clamped_vtime + runtime_term < head_start)
		return 0;
	return clamped_vtime + runtime_term - head_start;
}

/* Slice: twice what the task recently ran between sleeps, within [slice_min, slice_max], scaled
 * by weight. CPU-bound tasks (whose recent runtime sits at the cap) get the long slice and rotate
 * rarely; short bursts get a short slice, so one that turns into a long run yields early.
 * Latency for others does not depend on the long slices: a wakeup that is more urgent preempts
 * (gs_preempts). A niced task's shorter slice keeps its turns frequent though its share is small. */
static inline u64 gs_slice(u64 slice_max, u64 slice_min, u64 recent_runtime_ns, u64 weight)
{
	u64 slice = gs_clamp(2 * recent_runtime_ns, slice_min, slice_max);

	return gs_clamp(slice * weight / GS_WEIGHT_DEFAULT, slice_min, slice_max);
}

/* Whether a waking task with deadline `wakee` should take the CPU from a running task with
 * deadline `running` (0: the CPU runs nothing of ours). It must be more urgent by more than the
 * margin, so that tasks of similar urgency (a message storm, a build's jobs) hand over at slice
 * ends instead of kicking each other around. */
static inline int gs_preempts(u64 wakee, u64 running, u64 margin_ns)
{
	return running && running > wakee + margin_ns;
}

/* Threads of one process hand work over by sleeping, so a wakeup does not take the CPU from a
 * thread of its own process: the frame and job threads of a game would only delay each other.
 * The input handler is the exception: it must not wait until its game's frame or job threads on
 * every CPU finish their bursts. The thread it preempts queues right behind it (gamesched.bpf.c),
 * so the game loses only the handler's burst. */
static inline int gs_preempts_own_process(u32 wakee_role, u32 running_role)
{
	return wakee_role == GS_ROLE_INPUT && running_role != GS_ROLE_INPUT;
}

/* At the end of its slice, whether a task that still wants to run keeps its CPU without a
 * requeue. With nothing waiting it always does. A CPU-bound task (recent runtime at the cap: it
 * had the long slice) keeps it unless the earliest waiting deadline is earlier than its own next
 * one: the choice a requeue would make. Anything else leaves to whatever waits, so a short burst
 * that turned into a long run yields early. */
static inline int gs_keeps_cpu(int task_waits, u64 waiting_deadline, u64 own_deadline,
			       u64 recent_runtime_ns, u64 cap_ns)
{
	if (!task_waits)
		return 1;
	return recent_runtime_ns >= cap_ns && waiting_deadline >= own_deadline;
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

/* Wait-time histogram bucket: [0,1) us → 0, [1,2) → 1, [2,4) → 2, ... last bucket open-ended:
 * the bit length of the wait in microseconds, found by halving the width (six steps, where a
 * loop over the bits took up to fifteen: it runs at every switch). */
static inline u32 gs_wait_bucket(u64 wait_ns)
{
	u64 us = wait_ns / GS_NSEC_PER_USEC;
	u32 bits = 0, width;

	for (width = 32; width; width >>= 1) {
		if (us >> width) {
			us >>= width;
			bits += width;
		}
	}
	bits += (u32)us;
	return bits < GS_WAIT_HIST_BUCKETS - 1 ? bits : GS_WAIT_HIST_BUCKETS - 1;
}

#endif /* GAMESCHED_POLICY_H */
