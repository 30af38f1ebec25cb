/* Where tasks wait (gamesched.bpf.c). Arrivals (wakeups, new tasks) and short bursts wait in the
 * deadline-ordered shared queue of their LLC domain, so latency-critical work is taken by the
 * first CPU that frees. A CPU-bound task whose slice ran out while others wait waits in its own
 * CPU's queue instead: when its turn comes again it is most often that CPU that takes it, a local
 * move, where taking it from a shared queue on another CPU is a migration with both runqueues
 * locked (the bulk of a switch's cost when three hogs rotate on two CPUs).
 *
 * A CPU that needs work takes the earliest deadline of its own queue, its domain's shared queue
 * and the queue of one other CPU of its domain (at random, and only when that CPU's hint says its
 * head could win; all of them when it would otherwise go idle). Another CPU's head counts as
 * later by a long slice than it is: a task is moved from another CPU's queue only to a CPU with
 * nothing else to run, or when it is behind by more than a slice. So CPU-bound tasks queued on
 * different CPUs share the CPUs by deadline within a slice (three hogs on two CPUs: the one alone
 * on a CPU hands it over once it is a slice ahead, a migration every few slices instead of at
 * every one), and no task waits in one CPU's queue while another CPU of its domain goes idle. A
 * task goes to a CPU's queue only if no CPU was idle when it was queued. Starvation stays bounded
 * as with one queue: its owner compares the head of its queue with the running task by deadline
 * at every slice end.
 *
 * A CPU records the tasks it puts in its own queue (up to two: own[] in cpu_ctx), so that its
 * dispatch knows the head without a peek (a look-up of the queue by id) and, when it takes it,
 * whose turn starts without asking the task's storage. Only the CPU itself inserts there (a
 * requeue of its current task, under its runqueue lock, complete before its next dispatch); other
 * CPUs and the kernel only take tasks out. So the queue holds at most what the record says. A CPU
 * that takes from another's queue marks that record unknown, and the owner peeks until a peek
 * finds its queue empty or holding one task, which rebuilds the record. A task the kernel
 * dequeued meanwhile (its affinity or priority changed), or one another CPU takes while this CPU
 * moves its head, can leave the record naming a head that is gone: the move then takes the next
 * task (whose turn is published under the recorded one's name until this CPU's next dispatch),
 * or finds none and the record becomes unknown. Either way the queue never holds a task the
 * record does not name, and the decisions are those the peeks would have made.
 *
 * Included by gamesched.bpf.c only, after task_ctx.bpf.h. */

/* Per-CPU queues need scx_bpf_dsq_peek (dispatch compares heads); without it every task goes
 * through the shared queues. */
static __always_inline bool have_cpu_queues(void)
{
	return gs_have_peek() && nr_cpus > 1;
}

static __always_inline u64 cpu_dsq(s32 cpu)
{
	return GS_DSQ_CPU_BASE + (u32)cpu;
}

/* How many tasks each shared queue may hold: counted up before a task is inserted, down once it
 * is known to have left (taken by a dispatch, enqueued again, exited). Never below what the queue
 * holds, inserts under way included, so a dispatch skips the peek of a queue whose count is 0 (a
 * peek looks the queue up by id: it costs about as much as the rest of a dispatch). A task that
 * leaves the class while queued keeps the count high: a peek more, never a task missed. */
static u64 shared_queued[GS_MAX_LLCS];
_Static_assert((GS_MAX_LLCS & (GS_MAX_LLCS - 1)) == 0, "gs_index masks with GS_MAX_LLCS - 1");
_Static_assert((GS_MAX_CPUS & (GS_MAX_CPUS - 1)) == 0, "gs_index masks with GS_MAX_CPUS - 1");

static __always_inline u32 llc_of_shared_dsq(u64 dsq)
{
	return gs_index(dsq - GS_DSQ_LLC_BASE, GS_MAX_LLCS);
}

/* p goes into shared queue `dsq` at `deadline`. Without a task context (none was created for
 * it) it stays counted: a peek more for as long as the scheduler runs. */
static __always_inline void insert_shared(struct task_struct *p, struct task_ctx *tctx, u64 dsq,
					  u64 slice, u64 deadline, u64 enq_flags)
{
	u32 llc = llc_of_shared_dsq(dsq);

	__sync_fetch_and_add(&shared_queued[llc], 1);
	if (tctx)
		tctx->in_shared = llc + 1;
	scx_bpf_dsq_insert_vtime(p, dsq, slice, deadline, enq_flags);
}

/* p is out of the shared queue it was counted in, if any. Two CPUs may see the same task leave
 * (one moved it, the other peeked it before): the exchange lets exactly one of them uncount it. */
static __always_inline void left_shared(struct task_ctx *tctx)
{
	u64 counted = __sync_lock_test_and_set(&tctx->in_shared, 0);

	if (counted)
		__sync_fetch_and_sub(&shared_queued[gs_index(counted - 1, GS_MAX_LLCS)], 1);
}

static __always_inline bool shared_may_hold(u64 dsq)
{
	return shared_queued[llc_of_shared_dsq(dsq)] != 0;
}

/* The queue with the earliest waiting deadline found so far. */
struct gs_head {
	struct task_struct *task;
	u64 dsq;
	u64 deadline; /* another CPU's head: its deadline plus the penalty of moving it */
	u64 own_head; /* this CPU's own queue's head deadline, GS_QUEUE_HINT_NONE if none */
	bool found;
};

static __always_inline void consider_queue(struct gs_head *h, u64 dsq, u64 penalty)
{
	struct task_struct *p = scx_bpf_dsq_peek(dsq);

	if (p && (!h->found || p->scx.dsq_vtime + penalty < h->deadline)) {
		h->found = true;
		h->task = p;
		h->dsq = dsq;
		h->deadline = p->scx.dsq_vtime + penalty;
	}
}

/* Another CPU's queue is looked at (a peek) only when its hint says its head may win: earlier,
 * by the penalty of moving it, than `bar` (the best found so far, or the deadline the previous
 * task would run on with). A hint is that CPU's own view of its head, so it may be late (a task
 * queued behind a head it took is not in it until its next dispatch): such a task waits for its
 * own CPU's next slice end instead of moving at once. A CPU that would otherwise go idle looks at
 * every queue of its domain whatever the hints, so no task waits while a CPU of its domain idles. */
static __always_inline void consider_other_cpu(struct gs_head *h, u32 other, u64 penalty, u64 bar,
					       bool going_idle)
{
	struct cpu_ctx *octx;

	if (!going_idle) {
		octx = try_lookup_cpu_ctx(other);
		if (!octx || octx->queue_hint == GS_QUEUE_HINT_NONE ||
		    octx->queue_hint + penalty >= (h->found && h->deadline < bar ? h->deadline : bar))
			return;
	}
	consider_queue(h, cpu_dsq(other), penalty);
}

static __always_inline bool is_cpu_dsq(u64 dsq)
{
	return dsq >= GS_DSQ_CPU_BASE && dsq < GS_DSQ_CPU_BASE + GS_MAX_CPUS;
}

/* This CPU (cctx) queues p in its own queue at `deadline`: recorded if there is room. The record
 * is kept in the queue's order (deadline, then arrival). */
static __always_inline void own_queue_inserted(struct cpu_ctx *cctx, struct task_struct *p,
					       struct task_ctx *tctx, u64 deadline)
{
	struct gs_queued_task rec = {
		.deadline = deadline,
		.vtime = tctx->vtime,
		.pid = p->pid,
		.tgid = p->tgid,
		.role = tctx->role,
		.weight = p->scx.weight,
	};

	if (deadline < cctx->queue_hint)
		cctx->queue_hint = deadline;
	if (cctx->own_recorded == 0) {
		cctx->own[0] = rec;
		cctx->own_recorded = 1;
	} else if (cctx->own_recorded == 1) {
		if (deadline < cctx->own[0].deadline) {
			cctx->own[1] = cctx->own[0];
			cctx->own[0] = rec;
		} else {
			cctx->own[1] = rec;
		}
		cctx->own_recorded = 2;
	} else {
		cctx->own_recorded = GS_OWN_UNRECORDED;
	}
}

/* This CPU moved the head of its own queue, known from its record: that task's turn starts. As
 * in start_turn, its virtual time is clamped to the clock's window first, and its deadline moves
 * with it (the deadline is its virtual time plus terms that did not change while it waited). The
 * task's own virtual time is clamped at its next charge instead (dispatch, enqueue, wakeup): one
 * turn's CPU time may be charged from below the window's floor, a credit of at most the lag, once. */
static __always_inline void own_head_taken(struct cpu_ctx *cctx, const struct gs_tunables *t)
{
	const struct gs_queued_task *q = &cctx->own[0];
	u64 vtime = gs_clamp_vtime(q->vtime, vtime_now, t->lag_clamp_ns, q->weight);

	publish_turn(cctx, q->pid, q->tgid, q->role, q->deadline + (vtime - q->vtime));
	advance_vtime_now(vtime);
	/* Unrecorded meanwhile (another CPU took from this queue): it stays so. */
	if (cctx->own_recorded == 2) {
		cctx->own[0] = cctx->own[1];
		cctx->own_recorded = 1;
	} else if (cctx->own_recorded == 1) {
		cctx->own_recorded = 0;
	}
}

/* After a peek of this CPU's own queue found p at its head: if p is all the queue holds, the
 * record is rebuilt from it (queued by this CPU, so it has a context). */
static __always_inline void own_record_rebuilt(struct cpu_ctx *cctx, s32 cpu, struct task_struct *p)
{
	struct scx_dispatch_q *q = p->scx.dsq;
	struct task_ctx *tctx;

	if (!q || q->id != cpu_dsq(cpu) || q->nr != 1)
		return;
	tctx = try_lookup_task_ctx(p);
	if (!tctx)
		return;
	cctx->own[0].deadline = p->scx.dsq_vtime;
	cctx->own[0].vtime = tctx->vtime;
	cctx->own[0].pid = p->pid;
	cctx->own[0].tgid = p->tgid;
	cctx->own[0].role = tctx->role;
	cctx->own[0].weight = p->scx.weight;
	cctx->own_recorded = 1;
}

/* This CPU's own queue as a candidate: from the record when there is one, else by a peek (which
 * rebuilds the record when it can). A head known from the record has no task pointer: taking it
 * publishes the record instead (take_peeked). */
static __always_inline void consider_own_queue(struct gs_head *h, s32 cpu, struct cpu_ctx *cctx)
{
	if (!cctx || cctx->own_recorded == GS_OWN_UNRECORDED) {
		consider_queue(h, cpu_dsq(cpu), 0);
		if (!cctx)
			return;
		if (!h->found) {
			cctx->own_recorded = 0;
			return;
		}
		own_record_rebuilt(cctx, cpu, h->task);
		if (cctx->own_recorded == 1)
			h->task = NULL;
		return;
	}
	if (!cctx->own_recorded)
		return;
	h->found = true;
	h->task = NULL;
	h->dsq = cpu_dsq(cpu);
	h->deadline = cctx->own[0].deadline;
}

/* The earliest deadline waiting for `cpu` (above), against `bar`, the deadline the previous task
 * would keep the CPU with (~0 when it does not want to). Only called when scx_bpf_dsq_peek exists.
 * Own queue first: on equal deadlines the local move wins. */
static __always_inline void earliest_waiting(s32 cpu, struct cpu_ctx *cctx, u64 shared, u64 bar,
					     const struct gs_tunables *t, struct gs_head *h)
{
	bool own = have_cpu_queues() && cpu >= 0 && cpu < nr_cpus && cpu < GS_MAX_CPUS;
	bool going_idle;
	u32 i, llc, other;

	h->own_head = GS_QUEUE_HINT_NONE;
	if (own) {
		consider_own_queue(h, cpu, cctx);
		if (h->found)
			h->own_head = h->deadline;
	}
	if (shared_may_hold(shared))
		consider_queue(h, shared, 0);
	if (!own)
		return;
	going_idle = !h->found && bar == GS_QUEUE_HINT_NONE;
	llc = cpu_llc[gs_index(cpu, GS_MAX_CPUS)];
	other = nr_cpus > 2 ? ((u32)cpu + 1 + bpf_get_prandom_u32() % (nr_cpus - 1)) % nr_cpus
			    : (u32)cpu ^ 1;
	if (other < nr_cpus && cpu_llc[gs_index(other, GS_MAX_CPUS)] == llc)
		consider_other_cpu(h, other, t->slice_ns, bar, going_idle);
	if (!going_idle || nr_cpus <= 2)
		return;
	bpf_for(i, 0, nr_cpus) {
		if (i >= GS_MAX_CPUS)
			break;
		if (i != cpu && i != other && cpu_llc[i] == llc)
			consider_queue(h, cpu_dsq(i), t->slice_ns);
	}
}

/* What this CPU knows of its own queue's head after its dispatch (consider_other_cpu): exact if
 * it did not take it, unknown if it did (the requeue of its previous task then adds that one). */
static __always_inline void note_own_head(s32 cpu, struct cpu_ctx *cctx, const struct gs_head *h,
					  bool took_head)
{
	if (cctx)
		cctx->queue_hint = took_head && h->dsq == cpu_dsq(cpu) ? GS_QUEUE_HINT_NONE
									: h->own_head;
}

/* A task the dispatch of `cpu` moved to it starts its turn there. */
static __always_inline void task_taken(struct task_struct *p, s32 cpu, const struct gs_tunables *t)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (!tctx)
		return;
	left_shared(tctx);
	start_turn(p, tctx, cpu, t);
}

/* After a move from `dsq`, whether the task peeked there before it is out of that queue. The move
 * takes the first task this CPU may run, which need not be the one peeked: another CPU may have
 * taken that one meanwhile, an insert may have landed ahead of it, or it may not be allowed here.
 * Only a task seen out of the queue may leave the shared count (left_shared): one still in it
 * would then hide from the dispatches that skip a queue whose count is 0. */
static __always_inline bool out_of_queue(struct task_struct *p, u64 dsq)
{
	struct scx_dispatch_q *q = p->scx.dsq;

	return !q || q->id != dsq;
}

/* Moves the head earliest_waiting found to `cpu`. If the move took another task (above), that
 * one's turn is not started here: its CPU's next dispatch or refill publishes it. A move from
 * another CPU's queue leaves that CPU's record of it unknown (this file's header). */
static __always_inline bool take_peeked(const struct gs_head *h, s32 cpu, struct cpu_ctx *cctx,
					const struct gs_tunables *t)
{
	struct cpu_ctx *octx;

	if (!scx_bpf_dsq_move_to_local(h->dsq)) {
		if (cctx && h->dsq == cpu_dsq(cpu))
			cctx->own_recorded = GS_OWN_UNRECORDED;
		return false;
	}
	if (!h->task) {
		if (cctx)
			own_head_taken(cctx, t);
		return true;
	}
	if (out_of_queue(h->task, h->dsq))
		task_taken(h->task, cpu, t);
	if (is_cpu_dsq(h->dsq) && h->dsq != cpu_dsq(cpu)) {
		octx = try_lookup_cpu_ctx(h->dsq - GS_DSQ_CPU_BASE);
		if (octx)
			octx->own_recorded = GS_OWN_UNRECORDED;
	}
	return true;
}

/* Moves the first task of `dsq` to `cpu`, knowing which one it is (start_turn needs it): with
 * the peek kfunc, a peek and the move; without it (kernels before 6.19), the queue's iterator and
 * a move of that task by name. */
static __always_inline bool take_first(u64 dsq, s32 cpu, const struct gs_tunables *t)
{
	struct task_struct *p;

	if (gs_have_peek()) {
		p = scx_bpf_dsq_peek(dsq);
		if (!p || !scx_bpf_dsq_move_to_local(dsq))
			return false;
		if (out_of_queue(p, dsq))
			task_taken(p, cpu, t);
		return true;
	}
	bpf_for_each(scx_dsq, p, dsq, 0) {
		/* The first task this CPU may run (the kernel ejects a scheduler that moves a task to a
		 * CPU outside its affinity; scx_bpf_dsq_move_to_local skips such tasks itself). The
		 * move fails only if another CPU took it meanwhile: then the next one. */
		if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0)) {
			task_taken(p, cpu, t);
			return true;
		}
	}
	return false;
}

/* The queue a CPU-bound task waits in after its turn: its CPU's own, if there is one. */
static __always_inline bool queues_on_own_cpu(struct task_ctx *tctx, const struct gs_tunables *t,
					      s32 cpu)
{
	return have_cpu_queues() && tctx->recent_runtime_ns >= t->runtime_cap_ns && cpu >= 0 &&
	       cpu < nr_cpus && cpu < GS_MAX_CPUS;
}

/* Create the per-CPU queues (init). */
static __always_inline s32 create_cpu_queues(void)
{
	s32 err;
	u32 i;

	if (!have_cpu_queues())
		return 0;
	bpf_for(i, 0, nr_cpus) {
		if (i >= GS_MAX_CPUS)
			break;
		err = scx_bpf_create_dsq(cpu_dsq(i), -1);
		if (err) {
			scx_bpf_error("failed to create the queue of CPU %u: %d", i, err);
			return err;
		}
	}
	return 0;
}
