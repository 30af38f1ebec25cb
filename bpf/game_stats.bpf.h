/* Per-game statistics for autotune and the sample collector: what each game's threads suffered
 * (waits, wake periods and missed beats per role) and what the scheduler did for them (boosts,
 * preemptions, migrations). Kept apart from the policy: the scheduler calls one hook per event,
 * and the hooks keep their own per-thread state, so nothing here can change a decision. */
#ifndef GAMESCHED_GAME_STATS_BPF_H
#define GAMESCHED_GAME_STATS_BPF_H

/* Entries are created and deleted by the core (one per registered game). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, GS_MAX_GAMES);
	__type(key, u32); /* TGID */
	__type(value, struct gs_game_stats);
} game_stats SEC(".maps");

/* CPU time of every task that is not a game thread (one per-CPU slot): the background whose
 * progress autotune must not buy latency with. Counted here rather than read from /proc/stat,
 * whose tick sampling is too coarse (and in a virtual machine, skewed) for short trials. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} background_runtime SEC(".maps");

/* Per game thread: its own wake rhythm and the CPU it last ran on. */
struct gs_stats_task {
	u64 last_wake_ns;
	u64 avg_period_ns;
	u32 nr_periods;
	u32 last_cpu_1; /* CPU it last ran on + 1; 0 = not yet seen running */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct gs_stats_task);
} stats_task_stor SEC(".maps");

/* A beat is missed when a period runs past 1.5x the average, once the average means something. */
#define GS_BEAT_MIN_PERIODS 8

static __always_inline struct gs_game_stats *game_stats_of(struct task_struct *p, u32 role)
{
	u32 tgid = p->tgid;

	if (role == GS_ROLE_NONE || role >= GS_NR_ROLES)
		return NULL;
	return bpf_map_lookup_elem(&game_stats, &tgid);
}

static __always_inline void game_stats_wakeup(struct task_struct *p, u32 role, u64 now)
{
	struct gs_game_stats *gs = game_stats_of(p, role);
	struct gs_role_stats *rs;
	struct gs_stats_task *ts;
	u64 period;

	if (!gs || role >= GS_NR_ROLES)
		return;
	ts = bpf_task_storage_get(&stats_task_stor, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return;
	rs = &gs->roles[role];
	rs->wakeups++;
	if (ts->last_wake_ns) {
		period = now - ts->last_wake_ns;
		rs->period_sum_ns += period;
		if (ts->nr_periods >= GS_BEAT_MIN_PERIODS && period * 2 > ts->avg_period_ns * 3)
			rs->beat_misses++;
		ts->avg_period_ns = gs_ewma(ts->avg_period_ns, period);
		if (ts->nr_periods < GS_BEAT_MIN_PERIODS)
			ts->nr_periods++;
	}
	ts->last_wake_ns = now;
}

/* `waits` waits of a game thread that came to `bucket` on average and `wait_ns` in all, and the
 * CPU it ran on last (account_waits). */
static __always_inline void game_stats_waits(struct task_struct *p, u32 role, u64 waits,
					     u32 bucket, u64 wait_ns, s32 cpu)
{
	struct gs_game_stats *gs = game_stats_of(p, role);
	struct gs_role_stats *rs;
	struct gs_stats_task *ts;

	if (!gs || role >= GS_NR_ROLES)
		return;
	rs = &gs->roles[role];
	rs->wait_hist[bucket & (GS_WAIT_HIST_BUCKETS - 1)] += waits;
	rs->wait_sum_ns += wait_ns;
	ts = bpf_task_storage_get(&stats_task_stor, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!ts)
		return;
	if (ts->last_cpu_1 && ts->last_cpu_1 != (u32)cpu + 1)
		gs->migrations++;
	ts->last_cpu_1 = (u32)cpu + 1;
}

static __always_inline void game_stats_boosted(struct task_struct *p, u32 role)
{
	struct gs_game_stats *gs = game_stats_of(p, role);

	if (gs)
		gs->boosts++;
}

/* A kick for one of a game's threads. Any task may preempt, so the game map is asked only for
 * a thread with a role (a thread of a registered game), not at every kick. */
static __always_inline void game_stats_preempted_for(struct task_struct *p, u32 role)
{
	struct gs_game_stats *gs = game_stats_of(p, role);

	if (gs)
		gs->preempt_kicks++;
}

static __always_inline void game_stats_stopping(struct task_struct *p, u32 role, u64 ran_ns)
{
	struct gs_game_stats *gs;
	u32 zero = 0;
	u64 *bg;

	if (role == GS_ROLE_NONE) {
		bg = bpf_map_lookup_elem(&background_runtime, &zero);
		if (bg)
			*bg += ran_ns;
		return;
	}
	gs = game_stats_of(p, role);
	if (gs)
		gs->runtime_ns += ran_ns;
}

#endif /* GAMESCHED_GAME_STATS_BPF_H */
