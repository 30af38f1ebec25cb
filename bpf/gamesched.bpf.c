/* gamesched: a deadline scheduler for desktops that run games.
 *
 * Every task has a virtual time that advances with the CPU time it uses, scaled by its weight.
 * Its deadline is that vtime plus its recent runtime (weighted, capped), so tasks that run
 * briefly between sleeps are picked before CPU hogs of the same weight (policy.h). A waking task
 * goes straight to an idle CPU when there is one; otherwise it waits in the deadline-ordered
 * shared queue of its last-level cache domain and, if it is more urgent than a running task by
 * a margin, preempts that one. CPU-bound tasks get long slices (they rotate rarely: little
 * overhead) and keep their CPU when nothing else waits; short bursts get short slices.
 *
 * Games: threads of a registered game (games.bpf.h) get their role inferred from behaviour
 * (roles.bpf.h) and a deadline boost by role, focus and open input windows (input.bpf.h).
 * Boosts are bounded head starts, and the runtime term of every deadline is capped, so nothing
 * starves whatever the boosts (see gs_deadline). Threads of one process do not preempt each
 * other: they hand work over by sleeping, and boosts order a game against the rest of the
 * system, not its own threads against each other. The exception is the input handler: it has the
 * largest boost there is (the cheapest thread, and the one the player feels first) and takes the
 * CPU from its game's other threads (gs_preempts_own_process), which then queue right behind it,
 * at its deadline, instead of behind the background.
 *
 * Ops appear in the order the kernel calls them over a task's life: select_cpu, enqueue,
 * dispatch, then enable/init_task/exit_task, init and exit. Each hot path reads a clock at most
 * once. There is no runnable, running or stopping op, each of which would cost a program per
 * wakeup or switch: a wakeup's work is done in select_cpu, or in enqueue when select_cpu did not
 * run; a turn starts where the scheduler hands the task a CPU (start_turn) and is charged where
 * it is next needed (charge_turn).
 */
#include "common.bpf.h"
#include "policy.h"

/* Topology and limits, written by the core before load. They never change while attached: CPU
 * hotplug makes the kernel ask for a restart, and the core reloads with the new layout. */
const volatile u32 nr_cpus = 1;
const volatile u32 nr_llcs = 1;
const volatile u32 cpu_llc[GS_MAX_CPUS];

/* Runtime-writable tunables (array of one), so profiles apply without a reload. The core writes
 * them before it attaches the scheduler. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gs_tunables);
} tunables SEC(".maps");

static const struct gs_tunables tunables_fallback = GS_TUNABLES_DEFAULTS;

static __always_inline const struct gs_tunables *get_tunables(void)
{
	u32 zero = 0;
	const struct gs_tunables *t = bpf_map_lookup_elem(&tunables, &zero);

	return t && t->slice_ns ? t : &tunables_fallback;
}

#include "games.bpf.h"
#include "input.bpf.h"
#include "roles.bpf.h"
#include "game_stats.bpf.h"
#include "desktop.bpf.h"
#include "task_ctx.bpf.h"
#include "queues.bpf.h"
#include "wakeup.bpf.h"

/* The context of `cpu` if it runs something p (of role `role`) may preempt, else NULL. */
static __always_inline struct cpu_ctx *preemptible_cpu(struct task_struct *p, u32 role, s32 cpu,
						       u64 deadline, u64 margin)
{
	struct cpu_ctx *cctx;

	if (cpu < 0 || cpu >= nr_cpus || cpu >= GS_MAX_CPUS || !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return NULL;
	cctx = try_lookup_cpu_ctx(cpu);
	if (!cctx)
		return NULL;
	/* Within a game the roles say who is more urgent in kind; the deadlines need only agree (a
	 * handler and its render thread share the boost while input flows). */
	if (cctx->curr_tgid == p->tgid)
		return gs_preempts_own_process(role, cctx->curr_role) &&
		       gs_preempts(deadline, cctx->curr_deadline, 0) ? cctx : NULL;
	return gs_preempts(deadline, cctx->curr_deadline, margin) ? cctx : NULL;
}

/* An arrival found no idle CPU: the CPU p should preempt, if p is more urgent than what runs
 * there by the margin, else -1. Two candidates (power of two choices): the CPU select_cpu chose
 * for p, usually the one it last ran on, and the CPU this wakeup runs on (the cheapest to
 * preempt), or one other at random when that is the same; the less urgent of them is the victim.
 * The victim is claimed at once (its deadline becomes p's) so that other arrivals before it
 * reschedules pick another CPU instead of kicking p off right after it starts. */
static __always_inline s32 preempt_victim(struct task_struct *p, u32 role, u64 deadline,
					  const struct gs_tunables *t)
{
	s32 first = scx_bpf_task_cpu(p), here = bpf_get_smp_processor_id(), second, victim = first;
	struct cpu_ctx *cctx, *other = NULL;

	cctx = preemptible_cpu(p, role, first, deadline, t->slice_min_ns);
	/* Only a task that may migrate goes to another CPU (the kernel ejects a scheduler that
	 * moves one that may not). */
	if (nr_cpus > 1 && !p->migration_disabled) {
		second = here != first ? here
				       : (first + 1 + bpf_get_prandom_u32() % (nr_cpus - 1)) % nr_cpus;
		other = preemptible_cpu(p, role, second, deadline, t->slice_min_ns);
		if (other && (!cctx || other->curr_deadline > cctx->curr_deadline)) {
			cctx = other;
			victim = second;
		}
	}
	if (!cctx)
		return -1;
	cctx->resume_pid = cctx->curr_tgid == p->tgid ? cctx->curr_pid : 0;
	cctx->resume_deadline = deadline;
	cctx->curr_deadline = deadline;
	cctx->curr_tgid = p->tgid;
	cctx->curr_pid = p->pid;
	cctx->curr_role = role;
	stat_inc(GS_STAT_PREEMPT_KICK);
	game_stats_preempted_for(p, role);
	return victim;
}

/* Wakeup placement: the previous CPU or any idle one (the kernel's idle tracking knows SMT
 * siblings and LLCs from the real topology). An idle pick is dispatched right away. */
s32 BPF_STRUCT_OPS(gamesched_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	bool is_idle = false;
	s32 cpu;

	if (tctx && (wake_flags & SCX_WAKE_TTWU))
		task_wakes(p, tctx, true, t);
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		stat_inc(GS_STAT_DIRECT_IDLE);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, t->slice_ns, 0);
		if (tctx)
			start_turn(p, tctx, cpu, t);
	}
	return cpu;
}

/* Whether the kernel's idle tracking has any CPU idle. */
static __always_inline bool any_cpu_idle(void)
{
	const struct cpumask *idle = scx_bpf_get_idle_cpumask();
	bool any = !bpf_cpumask_empty(idle);

	scx_bpf_put_idle_cpumask(idle);
	return any;
}

/* Not placed by select_cpu: queue by deadline in the task's LLC domain. A task that went through
 * select_cpu found no idle CPU there; anything else (a slice that ran out, a pinned task) wakes
 * an idle CPU if there is one. A task that arrives (a wakeup, a new task) may preempt; one that
 * just had its turn (its slice ran out, or it was preempted: it is still the current task of its
 * CPU, being put) may not. A game thread that its own handler preempted queues at the handler's
 * deadline: right behind it, ahead of the background the handler was ahead of. */
void BPF_STRUCT_OPS(gamesched_enqueue, struct task_struct *p, u64 enq_flags)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	s32 task_cpu = scx_bpf_task_cpu(p);
	u64 dsq = llc_dsq_of_cpu(task_cpu);
	struct cpu_ctx *cctx;
	bool requeued, resume;
	u64 deadline;
	s32 cpu;

	stat_inc(GS_STAT_ENQUEUE);
	if (!tctx) {
		insert_shared(p, NULL, dsq, t->slice_ns, vtime_now, enq_flags);
		return;
	}
	/* Out of the shared queue without a dispatch taking it (dequeued to change its properties). */
	left_shared(tctx);
	requeued = !(enq_flags & SCX_ENQ_WAKEUP) && p == bpf_get_current_task_btf();
	cctx = requeued ? try_lookup_cpu_ctx(task_cpu) : NULL;
	if (cctx && dispatch_named_requeue(cctx, p)) {
		/* Charged by the dispatch that handed its CPU on, with the deadline that dispatch
		 * weighed; not a game thread, so no handler's claim concerns it. */
		deadline = cctx->requeue_deadline;
	} else {
		if (requeued)
			charge_turn(p, tctx, t);
		else if ((enq_flags & SCX_ENQ_WAKEUP) && !(enq_flags & SCX_ENQ_CPU_SELECTED))
			task_wakes(p, tctx, false, t);
		if (cctx && cctx->resume_pid) {
			resume = cctx->resume_pid == p->pid;
			cctx->resume_pid = 0;
			if (resume) {
				stat_inc(GS_STAT_RESUMED);
				insert_shared(p, tctx, dsq, task_slice(p, tctx, t),
					      cctx->resume_deadline, enq_flags);
				return;
			}
		}
		deadline = enqueue_deadline(p, tctx, t);
	}
	/* An idle CPU takes it from the queue (the kernel's idle mask first: on a busy machine it is
	 * empty, and testing that costs less than a pick). */
	if (!(enq_flags & SCX_ENQ_CPU_SELECTED) && any_cpu_idle()) {
		cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
		if (cpu >= 0) {
			stat_inc(GS_STAT_SHARED_QUEUE);
			insert_shared(p, tctx, dsq, task_slice(p, tctx, t), deadline, enq_flags);
			scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
			return;
		}
	}
	/* A CPU-bound task after its turn: in its CPU's own queue (queues.bpf.h). */
	if (requeued && queues_on_own_cpu(tctx, t, task_cpu)) {
		stat_inc(GS_STAT_CPU_QUEUE);
		if (cctx)
			own_queue_inserted(cctx, p, tctx, deadline);
		scx_bpf_dsq_insert_vtime(p, cpu_dsq(task_cpu), task_slice(p, tctx, t), deadline,
					 enq_flags);
		return;
	}
	/* Preempting the CPU this runs on: p goes to the head of its local queue and the kernel
	 * reschedules here on the way out of this wakeup. A kick would go by irq_work, an interrupt
	 * of this CPU to itself, first. */
	cpu = t->preempt_enabled && !requeued ? preempt_victim(p, tctx->role, deadline, t) : -1;
	if (cpu >= 0 && cpu == bpf_get_smp_processor_id()) {
		stat_inc(GS_STAT_PREEMPT_HERE);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | cpu, task_slice(p, tctx, t),
				   enq_flags | SCX_ENQ_PREEMPT);
		start_turn(p, tctx, cpu, t);
		return;
	}
	/* Another CPU: p waits in the queue, where the victim or any CPU that frees first takes it. */
	stat_inc(GS_STAT_SHARED_QUEUE);
	insert_shared(p, tctx, dsq, task_slice(p, tctx, t), deadline, enq_flags);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_PREEMPT);
}

/* prev's turn is over and it still wants to run: charge the turn and start a new one in place,
 * with a fresh slice (a task that kept its CPU for seconds would otherwise show wakeups the
 * deadline of the turn it started long ago, and no wakeup could preempt it). Not enqueued: a
 * CPU-bound task that keeps its CPU costs one dispatch per slice instead of a whole requeue. */
static __always_inline void keep_running(struct task_struct *prev, struct task_ctx *tctx,
					 struct cpu_ctx *cctx, u64 deadline,
					 const struct gs_tunables *t)
{
	prev->scx.slice = task_slice(prev, tctx, t);
	/* start_turn, with what dispatch already has: the clamped vtime and the deadline. */
	if (cctx)
		publish_turn(cctx, prev->pid, prev->tgid, tctx->role, deadline);
	advance_vtime_now(tctx->vtime);
	stat_inc(GS_STAT_SLICE_REFILL);
}

/* prev, charged by this dispatch, leaves the CPU to the task it moved here and is requeued next:
 * a task of no game takes the deadline computed here instead of a second charge and computation
 * (enqueue). Game threads go the whole way, so that their boost and statistics stay current. */
static __always_inline void hand_cpu_on(struct cpu_ctx *cctx, struct task_struct *prev,
					struct task_ctx *tctx, u64 deadline)
{
	stat_inc(GS_STAT_DISPATCH);
	if (!cctx || !tctx || tctx->role != GS_ROLE_NONE || tctx->boost_pct)
		return;
	cctx->requeue_pid = prev->pid;
	cctx->requeue_deadline = deadline;
}

/* Whether prev, whose next turn would have deadline `own_deadline`, keeps its CPU at its slice's
 * end (gs_keeps_cpu) against the earliest deadline waiting for this CPU (queues.bpf.h); with
 * nothing waiting it does. */
static __always_inline bool keeps_cpu(const struct gs_head *head, u64 own_deadline,
				      struct task_ctx *tctx, const struct gs_tunables *t)
{
	if (!head->found)
		return true;
	return gs_keeps_cpu(1, head->deadline, own_deadline, tctx->recent_runtime_ns,
			    t->runtime_cap_ns);
}

/* A CPU needs work. If its previous task still wants to run and keeps its CPU (above), it stays.
 * Otherwise the earliest deadline waiting for it (its own queue, its domain's shared queue, else
 * the other CPUs' queues of its domain), then the shared queues of the other domains; if there
 * is nothing, the previous task keeps the CPU after all. Without the peek kfunc the previous
 * task never keeps its CPU while the shared queue may hold a task: it goes through the queue
 * like any other task. */
void BPF_STRUCT_OPS(gamesched_dispatch, s32 cpu, struct task_struct *prev)
{
	u64 own = llc_dsq_of_cpu(cpu), prev_deadline = GS_QUEUE_HINT_NONE;
	const struct gs_tunables *t = get_tunables();
	struct cpu_ctx *cctx = try_lookup_cpu_ctx(cpu);
	struct task_ctx *tctx = NULL;
	struct gs_head head = {};
	u32 i;

	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		tctx = try_lookup_task_ctx(prev);
		if (tctx) {
			/* A thread alone on its CPU may keep it through refills, never enqueued. */
			if (task_is_game(prev, tctx) && tctx->role == GS_ROLE_NONE)
				adopt_game_thread(prev, tctx);
			charge_turn(prev, tctx, t);
			tctx->vtime = gs_clamp_vtime(tctx->vtime, vtime_now, t->lag_clamp_ns,
						     prev->scx.weight);
			prev_deadline = task_deadline(prev, tctx, t);
		}
	}
	if (gs_have_peek()) {
		earliest_waiting(cpu, cctx, own, prev_deadline, t, &head);
		if (tctx && keeps_cpu(&head, prev_deadline, tctx, t)) {
			note_own_head(cpu, cctx, &head, false);
			keep_running(prev, tctx, cctx, prev_deadline, t);
			return;
		}
		if (head.found && take_peeked(&head, cpu, cctx, t)) {
			note_own_head(cpu, cctx, &head, true);
			if (head.dsq != own && head.dsq != cpu_dsq(cpu))
				stat_inc(GS_STAT_STEAL);
			hand_cpu_on(cctx, prev, tctx, prev_deadline);
			return;
		}
		note_own_head(cpu, cctx, &head, false);
	} else if (shared_may_hold(own) && take_first(own, cpu, t)) {
		hand_cpu_on(cctx, prev, tctx, prev_deadline);
		return;
	}
	if (nr_llcs > 1) {
		bpf_for(i, 0, nr_llcs) {
			if (i >= GS_MAX_LLCS)
				break;
			if (GS_DSQ_LLC_BASE + i == own || !shared_may_hold(GS_DSQ_LLC_BASE + i))
				continue;
			if (take_first(GS_DSQ_LLC_BASE + i, cpu, t)) {
				hand_cpu_on(cctx, prev, tctx, prev_deadline);
				return;
			}
		}
	}
	if (tctx) {
		keep_running(prev, tctx, cctx, prev_deadline, t);
		return;
	}
	/* Idle (or a lower class): nothing of ours runs here for preemption decisions. */
	if (cctx)
		cctx->curr_deadline = 0;
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

	if (tctx) {
		tctx->vtime = vtime_now;
		tctx->exec_charged = p->se.sum_exec_runtime;
		start_accounting_waits(p, tctx);
	}
}

s32 BPF_STRUCT_OPS(gamesched_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_ctx *tctx;

	tctx = bpf_task_storage_get(&task_ctx_stor, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tctx)
		return -12; /* -ENOMEM: the kernel refuses the task rather than run it untracked */
	tctx->games_gen = ~0ULL; /* no generation yet: the first wakeup asks the game map */
	return 0;
}

void BPF_STRUCT_OPS(gamesched_exit_task, struct task_struct *p, struct scx_exit_task_args *args)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	u32 tid = p->pid;

	if (!tctx)
		return;
	/* Its last turn, for the CPU time statistics (charge_turn). */
	charge_turn(p, tctx, get_tunables());
	left_shared(tctx);
	if (tctx->published)
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
	return create_cpu_queues();
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
