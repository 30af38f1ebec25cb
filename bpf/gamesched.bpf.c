/* gamesched: a deadline scheduler for desktops that run games.
 *
 * Every task has a virtual time that advances with the CPU time it uses, scaled by its weight.
 * Its deadline is that vtime plus its recent runtime, so tasks that run briefly between sleeps
 * are picked before CPU hogs of the same weight (policy.h). A waking task goes straight to an
 * idle CPU when there is one; otherwise it waits in a deadline-ordered shared queue of its
 * last-level cache domain, and CPUs pull from their own domain first, then from the others.
 *
 * Games: threads of a registered game (games.bpf.h) get their role inferred from behaviour
 * (roles.bpf.h) and a deadline boost by role, focus and open input windows (input.bpf.h). A
 * boosted wakeup that finds no idle CPU preempts the least important running task. Boosts are
 * bounded by the lag window and a starvation guard moves any task that waited longer than the
 * bound to the front, so nothing is starved whatever the boosts.
 *
 * Ops appear in the order the kernel calls them over a task's life: select_cpu, enqueue,
 * dispatch, runnable, running, stopping, then enable/init_task/exit_task, init and exit.
 */
#include "common.bpf.h"
#include "policy.h"

/* Topology and limits, written by the core before load. They never change while attached: CPU
 * hotplug makes the kernel ask for a restart, and the core reloads with the new layout. */
const volatile u32 nr_cpus = 1;
const volatile u32 nr_llcs = 1;
const volatile u32 cpu_llc[GS_MAX_CPUS];

/* Boosts at or above this may preempt a running task. */
#define GS_PREEMPT_MIN_BOOST 40
/* The starvation guard looks at this many tasks from the back of a queue per scan. */
#define GS_STARVATION_SCAN 16

/* Runtime-writable tunables (array of one), so profiles apply without a reload. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gs_tunables);
} tunables SEC(".maps");

static const struct gs_tunables tunables_default = {
	.slice_ns = 5 * GS_NSEC_PER_MSEC,
	.slice_min_ns = 500 * GS_NSEC_PER_USEC,
	.lag_clamp_ns = 40 * GS_NSEC_PER_MSEC,
	.starvation_bound_ns = 100 * GS_NSEC_PER_MSEC,
	.input_window_ns = { 100 * GS_NSEC_PER_MSEC, 20 * GS_NSEC_PER_MSEC, 50 * GS_NSEC_PER_MSEC },
	.game_boost_pct = 30,
	.focus_boost_pct = 20,
	.input_boost_pct = 30,
	.preempt_enabled = 1,
};

static __always_inline const struct gs_tunables *get_tunables(void)
{
	u32 zero = 0;
	const struct gs_tunables *t = bpf_map_lookup_elem(&tunables, &zero);

	return t && t->slice_ns ? t : &tunables_default;
}

#include "games.bpf.h"
#include "input.bpf.h"
#include "roles.bpf.h"
#include "game_stats.bpf.h"

/* Global virtual clock: the vtime of the most recently started task. */
static u64 vtime_now;

struct task_ctx {
	u64 vtime;             /* virtual time (the deadline is derived from it) */
	u64 recent_runtime_ns; /* see gs_runtime_after_run/sleep */
	u64 last_run_at;       /* when it last got a CPU */
	u64 runnable_at;       /* when it started waiting; 0 while running or asleep */
	u64 last_wake_at;
	u64 burst_ns;          /* CPU time since its last wakeup */
	struct gs_behaviour beh;
	u32 role;              /* GS_ROLE_NONE unless a thread of a game */
	u32 boost_pct;         /* boost of its last enqueue */
	u32 woke_peer;         /* woke another thread of its game in this activation */
	u32 input_wake_pending; /* select_cpu saw this wakeup come right out of an input event */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctx_stor SEC(".maps");

/* What each CPU runs now, read by other CPUs choosing whom to preempt. */
struct cpu_ctx {
	u64 curr_deadline;
	u32 curr_boost;
	u32 pad;
	u64 last_starvation_scan;
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

/* Boost = game share + focus share + role share; input-driven roles get theirs always (they are
 * tiny), frame roles while an input window is open. policy.h caps the total at 90 %. */
static __always_inline u32 task_boost(struct task_struct *p, struct task_ctx *tctx,
				      const struct gs_tunables *t, u64 now)
{
	u32 boost;

	if (tctx->role == GS_ROLE_NONE)
		return 0;
	boost = t->game_boost_pct;
	if (is_focused_tgid(p->tgid))
		boost += t->focus_boost_pct;
	switch (tctx->role) {
	case GS_ROLE_INPUT:
	case GS_ROLE_AUDIO:
		boost += t->input_boost_pct;
		break;
	case GS_ROLE_RENDER:
	case GS_ROLE_GPU_SUBMIT:
		if (input_window_open(now))
			boost += t->input_boost_pct;
		break;
	}
	return boost > 90 ? 90 : boost;
}

/* Preempt the least important running task (latest deadline, smaller boost) if it is less
 * important than the task just queued. */
static __always_inline void preempt_for(struct task_struct *p, u64 deadline, u32 boost)
{
	u64 worst_deadline = deadline;
	s32 victim = -1;
	u32 cpu;

	bpf_for(cpu, 0, nr_cpus) {
		struct cpu_ctx *cctx;

		if (cpu >= GS_MAX_CPUS)
			break;
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		cctx = try_lookup_cpu_ctx(cpu);
		if (!cctx || cctx->curr_boost >= boost)
			continue;
		if (cctx->curr_deadline > worst_deadline) {
			worst_deadline = cctx->curr_deadline;
			victim = cpu;
		}
	}
	if (victim >= 0) {
		stat_inc(GS_STAT_PREEMPT_KICK);
		game_stats_preempted_for(p);
		scx_bpf_kick_cpu(victim, SCX_KICK_PREEMPT);
	}
}

/* The starvation guard: from the back of the queue (the latest deadlines), move a task that has
 * waited longer than the bound straight to this CPU. Scans at most every bound/4 per CPU. */
static __always_inline bool rescue_starving(s32 cpu, u64 dsq, u64 now, u64 bound)
{
	struct cpu_ctx *cctx = try_lookup_cpu_ctx(cpu);
	struct task_struct *p;
	u32 seen = 0;

	if (!cctx || now - cctx->last_starvation_scan < bound / 4)
		return false;
	cctx->last_starvation_scan = now;
	bpf_for_each(scx_dsq, p, dsq, SCX_DSQ_ITER_REV) {
		struct task_ctx *tctx;

		if (++seen > GS_STARVATION_SCAN)
			break;
		/* Only tasks allowed on this CPU can be pulled here (pinned kworkers, say). */
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		tctx = try_lookup_task_ctx(p);
		if (!tctx || !tctx->runnable_at || now - tctx->runnable_at <= bound)
			continue;
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0)) {
			stat_inc(GS_STAT_STARVATION_RESCUE);
			return true;
		}
	}
	return false;
}

/* Wakeup placement: prefer the previous CPU or any idle one (the kernel's idle tracking knows
 * SMT siblings and LLCs from the real topology). An idle pick is dispatched right away. */
s32 BPF_STRUCT_OPS(gamesched_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	/* select_cpu runs in the waker's context, on the CPU that handled the input event if this
	 * wakeup came out of one; runnable may run later on the target CPU. */
	if (woken_by_input(bpf_ktime_get_ns())) {
		struct task_ctx *tctx = try_lookup_task_ctx(p);

		if (tctx)
			tctx->input_wake_pending = 1;
	}
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		stat_inc(GS_STAT_DIRECT_IDLE);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, get_tunables()->slice_ns, 0);
	}
	return cpu;
}

/* Not placed by select_cpu: queue by deadline in the task's LLC domain; wake an idle CPU if
 * there is one, else let a boosted task preempt. */
void BPF_STRUCT_OPS(gamesched_enqueue, struct task_struct *p, u64 enq_flags)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	u64 now = bpf_ktime_get_ns();
	u64 dsq, slice, deadline;
	s32 cpu;

	stat_inc(GS_STAT_ENQUEUE);
	if (!tctx) {
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, t->slice_ns, enq_flags);
		return;
	}
	if (!tctx->runnable_at)
		tctx->runnable_at = now;
	tctx->vtime = gs_clamp_vtime(tctx->vtime, vtime_now, t->lag_clamp_ns, p->scx.weight);
	tctx->boost_pct = task_boost(p, tctx, t, now);
	deadline = gs_deadline(tctx->vtime, tctx->recent_runtime_ns, p->scx.weight, t->lag_clamp_ns,
			       tctx->boost_pct);
	if (tctx->role != GS_ROLE_NONE)
		stat_inc(GS_STAT_GAME_ENQUEUE);
	if (tctx->boost_pct) {
		stat_inc(GS_STAT_BOOSTED);
		game_stats_boosted(p, tctx->role);
	}

	dsq = llc_dsq_of_cpu(scx_bpf_task_cpu(p));
	slice = gs_slice(t->slice_ns, t->slice_min_ns, scx_bpf_dsq_nr_queued(dsq));
	stat_inc(GS_STAT_SHARED_QUEUE);
	scx_bpf_dsq_insert_vtime(p, dsq, slice, deadline, enq_flags);

	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	else if (t->preempt_enabled && tctx->boost_pct >= GS_PREEMPT_MIN_BOOST)
		preempt_for(p, deadline, tctx->boost_pct);
}

/* A CPU ran out of work: rescue a starving task if any, else take the earliest deadline from
 * its own domain, then from the others. */
void BPF_STRUCT_OPS(gamesched_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 own = llc_dsq_of_cpu(cpu);
	u32 i;

	if (rescue_starving(cpu, own, bpf_ktime_get_ns(), get_tunables()->starvation_bound_ns))
		return;
	if (scx_bpf_dsq_move_to_local(own)) {
		stat_inc(GS_STAT_DISPATCH);
		return;
	}
	bpf_for(i, 0, nr_llcs) {
		if (i >= GS_MAX_LLCS)
			break;
		if (scx_bpf_dsq_move_to_local(GS_DSQ_LLC_BASE + i)) {
			stat_inc(GS_STAT_DISPATCH);
			return;
		}
	}
}

/* A wakeup: update the behaviour of game threads (period, burst, what woke them) and their
 * role; decay everyone's recent runtime so that a hog turning interactive recovers. */
static __always_inline void observe_wakeup(struct task_struct *p, struct task_ctx *tctx, u64 now)
{
	struct task_struct *waker = bpf_get_current_task_btf();
	struct gs_behaviour *b = &tctx->beh;
	u32 old_role = tctx->role, role;
	struct task_ctx *wctx;
	int by_render = 0, by_peer = 0, by_input;

	if (!is_game_tgid(p->tgid)) {
		if (old_role != GS_ROLE_NONE) {
			u32 tid = p->pid;

			bpf_map_delete_elem(&game_threads, &tid);
			tctx->role = GS_ROLE_NONE;
		}
		return;
	}
	if (tctx->last_wake_at)
		b->avg_period_ns = gs_ewma(b->avg_period_ns, now - tctx->last_wake_at);
	tctx->last_wake_at = now;
	b->avg_burst_ns = gs_ewma(b->avg_burst_ns, tctx->burst_ns);
	tctx->burst_ns = 0;
	by_input = tctx->input_wake_pending || woken_by_input(now);
	tctx->input_wake_pending = 0;
	b->input_wake_pct = gs_ratio_update(b->input_wake_pct, by_input);
	b->wakes_peer_pct = gs_ratio_update(b->wakes_peer_pct, tctx->woke_peer);
	tctx->woke_peer = 0;
	if (waker && waker->tgid == p->tgid && waker->pid != p->pid) {
		by_peer = 1;
		wctx = try_lookup_task_ctx(waker);
		if (wctx) {
			wctx->woke_peer = 1;
			by_render = wctx->role == GS_ROLE_RENDER;
		}
	}
	b->woken_by_peer_pct = gs_ratio_update(b->woken_by_peer_pct, by_peer);
	b->woken_by_render_pct = gs_ratio_update(b->woken_by_render_pct, by_render);
	if (b->nr_wakeups < 0xffffffff)
		b->nr_wakeups++;

	role = infer_role(p, b);
	tctx->role = role;
	if (role != old_role)
		stat_inc(GS_STAT_ROLE_CHANGE);
	if (role != old_role || (b->nr_wakeups & 63) == 0)
		publish_thread(p, b, role);
	game_stats_wakeup(p, role, now);
}

void BPF_STRUCT_OPS(gamesched_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (!tctx)
		return;
	tctx->recent_runtime_ns = gs_runtime_after_sleep(tctx->recent_runtime_ns);
	if (enq_flags & SCX_ENQ_WAKEUP)
		observe_wakeup(p, tctx, bpf_ktime_get_ns());
}

void BPF_STRUCT_OPS(gamesched_running, struct task_struct *p)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	u64 now = bpf_ktime_get_ns();
	struct gs_wait_hist *hist;
	struct cpu_ctx *cctx;
	u32 zero = 0, role;

	if (!tctx)
		return;
	tctx->last_run_at = now;
	game_stats_running(p, tctx->role, tctx->runnable_at ? now - tctx->runnable_at : 0,
			   scx_bpf_task_cpu(p));
	if (tctx->runnable_at) {
		role = tctx->role < GS_NR_ROLES ? tctx->role : GS_ROLE_NONE;
		hist = bpf_map_lookup_elem(&wait_hist, &zero);
		if (hist)
			hist->buckets[role][gs_wait_bucket(now - tctx->runnable_at)]++;
		tctx->runnable_at = 0;
	}
	cctx = try_lookup_cpu_ctx(scx_bpf_task_cpu(p));
	if (cctx) {
		cctx->curr_deadline = p->scx.dsq_vtime;
		cctx->curr_boost = tctx->boost_pct;
	}
	/* The clock follows the tasks that run; it never goes backwards. */
	if ((s64)(tctx->vtime - vtime_now) > 0)
		vtime_now = tctx->vtime;
}

/* Charge the time just used to the task's vtime (weighted), recent runtime and burst. */
void BPF_STRUCT_OPS(gamesched_stopping, struct task_struct *p, bool runnable)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	struct cpu_ctx *cctx;
	u64 ran;

	if (!tctx)
		return;
	ran = bpf_ktime_get_ns() - tctx->last_run_at;
	tctx->vtime += gs_scale_by_weight_inverse(ran, p->scx.weight);
	tctx->recent_runtime_ns = gs_runtime_after_run(tctx->recent_runtime_ns, ran,
						       t->lag_clamp_ns);
	tctx->burst_ns += ran;
	game_stats_stopping(p, tctx->role, ran);
	cctx = try_lookup_cpu_ctx(scx_bpf_task_cpu(p));
	if (cctx) {
		cctx->curr_deadline = 0;
		cctx->curr_boost = 0;
	}
}

#ifdef GAMESCHED_TEST_HOOKS
void BPF_STRUCT_OPS(gamesched_tick, struct task_struct *p)
{
	if (test_error_after_ns && bpf_ktime_get_ns() - initialized_at_ns > test_error_after_ns)
		scx_bpf_error("test hook: error ejection requested after %llu ms",
			      test_error_after_ns / GS_NSEC_PER_MSEC);
}
#endif

void BPF_STRUCT_OPS(gamesched_enable, struct task_struct *p)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (tctx)
		tctx->vtime = vtime_now;
}

s32 BPF_STRUCT_OPS(gamesched_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctx_stor, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -12; /* -ENOMEM: the kernel refuses the task rather than run it untracked */
	return 0;
}

void BPF_STRUCT_OPS(gamesched_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	u32 tid = p->pid;

	bpf_map_delete_elem(&game_threads, &tid);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(gamesched_init)
{
	u32 i;
	s32 err;

#ifdef GAMESCHED_TEST_HOOKS
	initialized_at_ns = bpf_ktime_get_ns();
#endif
	bpf_for(i, 0, nr_llcs) {
		if (i >= GS_MAX_LLCS)
			break;
		err = scx_bpf_create_dsq(GS_DSQ_LLC_BASE + i, -1);
		if (err) {
			scx_bpf_error("failed to create shared queue %u: %d", i, err);
			return err;
		}
	}
	return 0;
}

void BPF_STRUCT_OPS(gamesched_exit, struct scx_exit_info *ei)
{
	gs_record_exit(ei);
}

SEC(".struct_ops.link")
struct sched_ext_ops gamesched_ops = {
	.select_cpu = (void *)gamesched_select_cpu,
	.enqueue = (void *)gamesched_enqueue,
	.dispatch = (void *)gamesched_dispatch,
	.runnable = (void *)gamesched_runnable,
	.running = (void *)gamesched_running,
	.stopping = (void *)gamesched_stopping,
#ifdef GAMESCHED_TEST_HOOKS
	.tick = (void *)gamesched_tick,
#endif
	.enable = (void *)gamesched_enable,
	.init_task = (void *)gamesched_init_task,
	.exit_task = (void *)gamesched_exit_task,
	.init = (void *)gamesched_init,
	.exit = (void *)gamesched_exit,
	.timeout_ms = 5000,
	.name = GS_OPS_NAME,
};
