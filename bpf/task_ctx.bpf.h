/* Per-task and per-CPU state of gamesched.bpf.c, and what is computed from it: a task's boost,
 * deadline and slice, the charging of a turn and the start of one. Included by gamesched.bpf.c
 * only, after the game, input, role, statistics and desktop concerns it reads. */

/* Global virtual clock: the vtime of the most recently started task. */
static u64 vtime_now;

struct task_ctx {
	u64 vtime;             /* virtual time (the deadline is derived from it) */
	u64 recent_runtime_ns; /* see gs_runtime_after_run/sleep */
	u64 exec_charged;      /* p->se.sum_exec_runtime up to which its CPU time is charged */
	u64 seen_run_delay;    /* p->sched_info.run_delay and .pcount as account_waits last saw */
	u64 seen_waits;
	u64 games_gen;         /* games_generation the is_game answer was taken at */
	u64 last_wake_at;      /* game threads only, from here down */
	u64 burst_ns;          /* CPU time since its last wakeup */
	struct gs_behaviour beh;
	u32 role;              /* GS_ROLE_NONE unless a thread of a game */
	u32 waker_tid;         /* the peer that woke it in this activation, 0 if none */
	u32 pending_waker_tid; /* select_cpu's view of the wakeup under way (see note_waker) */
	u32 boost_pct;         /* boost of its last enqueue */
	u8 is_game;
	u8 published;          /* has an entry in game_threads */
	u8 woke_peer;          /* woke another thread of its game in this activation */
	u8 forwarded;          /* ... one other than its own waker */
	u8 input_wake_pending; /* select_cpu saw this wakeup come right out of an input event */
	u8 pending_by_render;  /* ... and that render woke it */
	u64 in_shared;         /* counted in shared_queued: its LLC + 1, else 0 (queues.bpf.h) */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctx_stor SEC(".maps");

#define GS_QUEUE_HINT_NONE (~0ULL)

/* A task a CPU put in its own queue, as the CPU recorded it then (queues.bpf.h). */
struct gs_queued_task {
	u64 deadline;
	u64 vtime;
	u32 pid;
	u32 tgid;
	u32 role;
	u32 weight;
};

/* How many queued tasks a CPU's record of its own queue holds at most. */
#define GS_OWN_RECORD_MAX 2
/* own_recorded when the record does not describe the queue: it must be peeked. */
#define GS_OWN_UNRECORDED 0xff

/* What each CPU runs now, read by wakeups deciding whom to preempt. */
struct cpu_ctx {
	u64 curr_deadline; /* 0: nothing of ours */
	u32 curr_tgid;
	u32 curr_pid;
	u32 curr_role;
	u32 resume_pid;      /* the game thread a handler of its own game is preempting here, or 0 */
	u64 resume_deadline; /* the handler's deadline */
	u64 queue_hint;      /* this CPU's own queue's head deadline as this CPU last knew it
			      * (queues.bpf.h); GS_QUEUE_HINT_NONE: none known */
	u32 own_recorded;    /* its own queue holds at most these first entries of own[], in
			      * deadline order, or GS_OWN_UNRECORDED (queues.bpf.h) */
	u32 requeue_pid;     /* the previous task this CPU's dispatch charged and handed the CPU
			      * on from, whose requeue follows: it takes requeue_deadline; 0 if none */
	struct gs_queued_task own[GS_OWN_RECORD_MAX];
	u64 requeue_deadline;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GS_MAX_CPUS);
	__type(key, u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

/* Wait (runnable → running) histograms per role; role NONE holds every non-game task. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gs_wait_hist);
} wait_hist SEC(".maps");

#ifdef GAMESCHED_TEST_HOOKS
/* Test builds only: raise a scheduler error this long after init (error-ejection scenario). */
const volatile u64 test_error_after_ns;
static u64 initialized_at_ns;
/* Test builds only: dispatch as on a kernel without scx_bpf_dsq_peek (vm-attach-without-peek). */
const volatile bool test_without_peek;
#define gs_have_peek() (bpf_ksym_exists(scx_bpf_dsq_peek) && !test_without_peek)
#else
#define gs_have_peek() bpf_ksym_exists(scx_bpf_dsq_peek)
#endif

static __always_inline struct task_ctx *try_lookup_task_ctx(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctx_stor, p, 0, 0);
}

static __always_inline struct cpu_ctx *try_lookup_cpu_ctx(s32 cpu)
{
	u32 key = cpu;

	return bpf_map_lookup_elem(&cpu_ctxs, &key);
}

static __always_inline u64 llc_dsq_of_cpu(s32 cpu)
{
	u32 llc = 0;

	if (cpu >= 0 && cpu < GS_MAX_CPUS)
		llc = cpu_llc[cpu];
	if (llc >= GS_MAX_LLCS)
		llc = 0;
	return GS_DSQ_LLC_BASE + llc;
}

/* A thread whose process stopped being a game loses its role and its thread-table entry. */
static __always_inline void drop_game_role(struct task_struct *p, struct task_ctx *tctx)
{
	u32 tid = p->pid;

	tctx->is_game = 0;
	tctx->role = GS_ROLE_NONE;
	if (tctx->published) {
		bpf_map_delete_elem(&game_threads, &tid);
		tctx->published = 0;
	}
}

static __always_inline void task_leaves_game(struct task_struct *p)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (tctx)
		drop_game_role(p, tctx);
}

/* Whether p belongs to a registered game, from the task's cache unless the game map changed. */
static __always_inline bool task_is_game(struct task_struct *p, struct task_ctx *tctx)
{
	u64 gen = current_games_generation();

	if (likely(tctx->games_gen == gen))
		return tctx->is_game;
	tctx->games_gen = gen;
	if (is_game_tgid(p->tgid))
		tctx->is_game = 1;
	else
		drop_game_role(p, tctx);
	return tctx->is_game;
}

/* A thread of a game gets its role at its wakeups (observe_wakeup). One that never sleeps after
 * the game was registered (an asset streamer or shader compiler started before registration)
 * would have none and be scheduled as background: it starts as a worker, the role every thread
 * has until its behaviour says otherwise, and is published like any other game thread. */
static __always_inline void adopt_game_thread(struct task_struct *p, struct task_ctx *tctx)
{
	tctx->role = GS_ROLE_WORKER;
	stat_inc(GS_STAT_ROLE_CHANGE);
	publish_thread(p, &tctx->beh, GS_ROLE_WORKER);
	tctx->published = 1;
}

/* Boost = game share + focus share + role share; the audio handler gets its role share always
 * (it is tiny), frame roles while an input window is open. The input handler gets the cap: it
 * goes ahead of every other thread, its own game's included. policy.h caps the total at 90 %. */
static __always_inline u32 task_boost(struct task_struct *p, struct task_ctx *tctx,
				      const struct gs_tunables *t)
{
	u32 boost;

	if (tctx->role == GS_ROLE_NONE)
		return desktop_boost(p, t);
	if (tctx->role == GS_ROLE_INPUT)
		return GS_BOOST_MAX;
	boost = t->game_boost_pct;
	if (is_focused_tgid(p->tgid))
		boost += t->focus_boost_pct;
	switch (tctx->role) {
	case GS_ROLE_AUDIO:
		boost += t->input_boost_pct;
		break;
	case GS_ROLE_RENDER:
	case GS_ROLE_GPU_SUBMIT:
		if (input_window_open(bpf_ktime_get_ns()))
			boost += t->input_boost_pct;
		break;
	}
	return boost > GS_BOOST_MAX ? GS_BOOST_MAX : boost;
}

static __always_inline u64 task_deadline(struct task_struct *p, struct task_ctx *tctx,
					 const struct gs_tunables *t)
{
	return gs_deadline(tctx->vtime, tctx->recent_runtime_ns, p->scx.weight, t->lag_clamp_ns,
			   t->runtime_cap_ns, tctx->boost_pct);
}

/* The deadline p is queued with (enqueue), its game membership and boost brought up to date
 * first. Drops the role if the game was unregistered meanwhile, gives one to a thread of a game
 * that has none yet. Cheap for every task: membership is cached per games generation. */
static __always_inline u64 enqueue_deadline(struct task_struct *p, struct task_ctx *tctx,
					    const struct gs_tunables *t)
{
	if (task_is_game(p, tctx) && tctx->role == GS_ROLE_NONE)
		adopt_game_thread(p, tctx);
	tctx->boost_pct = task_boost(p, tctx, t);
	tctx->vtime = gs_clamp_vtime(tctx->vtime, vtime_now, t->lag_clamp_ns, p->scx.weight);
	if (tctx->role != GS_ROLE_NONE)
		stat_inc(GS_STAT_GAME_ENQUEUE);
	if (tctx->boost_pct) {
		stat_inc(GS_STAT_BOOSTED);
		game_stats_boosted(p, tctx->role);
	}
	return task_deadline(p, tctx, t);
}

static __always_inline u64 task_slice(struct task_struct *p, struct task_ctx *tctx,
				      const struct gs_tunables *t)
{
	return gs_slice(t->slice_ns, t->slice_min_ns, tctx->recent_runtime_ns, p->scx.weight);
}

/* The waits (runnable → on a CPU) p had since they were last accounted, from the kernel's own
 * per-task accounting (sched_info: the summed delay and the count of arrivals on a CPU), so that
 * no program runs at the switch to measure them. Between two charges a task usually arrives once;
 * more arrivals share their sum evenly. */
static __always_inline void account_waits(struct task_struct *p, struct task_ctx *tctx)
{
	u64 delay = p->sched_info.run_delay, count = p->sched_info.pcount;
	u64 waits = count - tctx->seen_waits, waited = delay - tctx->seen_run_delay;
	struct gs_wait_hist *hist;
	u32 zero = 0, role, bucket;

	if (!waits)
		return;
	tctx->seen_waits = count;
	tctx->seen_run_delay = delay;
	bucket = gs_wait_bucket(waited / waits);
	role = tctx->role < GS_NR_ROLES ? tctx->role : GS_ROLE_NONE;
	hist = bpf_map_lookup_elem(&wait_hist, &zero);
	if (hist)
		hist->buckets[role][bucket] += waits;
	if (role != GS_ROLE_NONE)
		game_stats_waits(p, role, waits, bucket, waited, scx_bpf_task_cpu(p));
}

/* Where account_waits starts counting: the task's waits before it joined this scheduler are not
 * this scheduler's. */
static __always_inline void start_accounting_waits(struct task_struct *p, struct task_ctx *tctx)
{
	tctx->seen_waits = p->sched_info.pcount;
	tctx->seen_run_delay = p->sched_info.run_delay;
}

/* Charge the CPU time p used since it was last charged (the kernel's own accounting, no clock
 * read) to its vtime (weighted), recent runtime and burst. There is no stopping op, which would
 * cost a program per switch: sum_exec_runtime does not move while p is off its CPU, so a turn is
 * charged exactly wherever it is charged before its numbers are used: at a slice refill
 * (dispatch), a requeue (enqueue), the next wakeup (select_cpu or enqueue) and exit_task. */
static __always_inline void charge_turn(struct task_struct *p, struct task_ctx *tctx,
					const struct gs_tunables *t)
{
	u64 ran = p->se.sum_exec_runtime - tctx->exec_charged;

	tctx->exec_charged = p->se.sum_exec_runtime;
	tctx->vtime += gs_scale_by_weight_inverse(ran, p->scx.weight);
	tctx->recent_runtime_ns = gs_runtime_after_run(tctx->recent_runtime_ns, ran, t->runtime_cap_ns);
	tctx->burst_ns += ran;
	game_stats_stopping(p, tctx->role, ran);
	account_waits(p, tctx);
}

/* Publish what now runs on this CPU for preemption decisions (start_turn). A turn starting here
 * also means the task a dispatch named for requeueing (requeue_pid) is not being put back now. */
static __always_inline void publish_turn(struct cpu_ctx *cctx, u32 pid, u32 tgid, u32 role,
					 u64 deadline)
{
	if (cctx->curr_pid != pid)
		cctx->resume_pid = 0;
	cctx->requeue_pid = 0;
	cctx->curr_deadline = deadline;
	cctx->curr_tgid = tgid;
	cctx->curr_pid = pid;
	cctx->curr_role = role;
}

/* Whether the requeue of p on this CPU (cctx) is the one the dispatch before it announced
 * (hand_cpu_on in gamesched.bpf.c). Either way the announcement is used up. */
static __always_inline bool dispatch_named_requeue(struct cpu_ctx *cctx, struct task_struct *p)
{
	u32 named = cctx->requeue_pid;

	cctx->requeue_pid = 0;
	return named && named == p->pid;
}

/* The virtual clock follows the tasks that run and never goes backwards. */
static __always_inline void advance_vtime_now(u64 vtime)
{
	if ((s64)(vtime - vtime_now) > 0)
		vtime_now = vtime;
}

/* p starts a turn on `cpu`: publish its deadline for preemption decisions and advance the
 * virtual clock, which follows the tasks that run and never goes backwards. There is no running
 * op, which would cost a program per switch: this is called wherever the scheduler hands a task a
 * CPU, which is where it runs next (select_cpu's idle CPU, enqueue's preemption of this CPU,
 * dispatch's move or refill). A handler's claim on
 * the CPU (resume_pid, preempt_victim) stays while the handler itself starts: the thread it
 * preempts is requeued after this (its CPU's dispatch or enqueue hands the CPU over first). Any
 * other task starting there means the claim went stale (the handler ran elsewhere, or the
 * thread stopped on its own), and it goes. */
static __always_inline void start_turn(struct task_struct *p, struct task_ctx *tctx, s32 cpu,
				       const struct gs_tunables *t)
{
	struct cpu_ctx *cctx;

	tctx->vtime = gs_clamp_vtime(tctx->vtime, vtime_now, t->lag_clamp_ns, p->scx.weight);
	cctx = try_lookup_cpu_ctx(cpu);
	if (cctx)
		publish_turn(cctx, p->pid, p->tgid, tctx->role, task_deadline(p, tctx, t));
	advance_vtime_now(tctx->vtime);
}
