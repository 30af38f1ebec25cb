/* Where tasks wait (gamesched.bpf.c). Arrivals (wakeups, new tasks) and short bursts wait in the
 * deadline-ordered shared queue of their LLC domain, so latency-critical work is taken by the
 * first CPU that frees. A CPU-bound task whose slice ran out while others wait waits in its own
 * CPU's queue instead: when its turn comes again it is most often that CPU that takes it, a local
 * move, where taking it from a shared queue on another CPU is a migration with both runqueues
 * locked (the bulk of a switch's cost when three hogs rotate on two CPUs).
 *
 * A CPU that needs work takes the earliest deadline of its own queue, its domain's shared queue
 * and the queue of one other CPU of its domain (at random; all of them when it found nothing
 * else). Another CPU's head counts as later by a long slice than it is: a task is moved from
 * another CPU's queue only to a CPU with nothing else to run, or when it is behind by more than
 * a slice. So CPU-bound tasks queued on different CPUs share the CPUs by deadline within a
 * slice (three hogs on two CPUs: the one alone on a CPU hands it over once it is a slice ahead,
 * a migration every few slices instead of at every one), and no task waits in one CPU's queue
 * while another CPU of its domain goes idle. A task goes to a CPU's queue only if no CPU was
 * idle when it was queued. Starvation stays bounded as with one queue: its owner compares the
 * head of its queue with the running task by deadline at every
 * slice end. Included by gamesched.bpf.c only, after task_ctx.bpf.h. */

/* Per-CPU queues need scx_bpf_dsq_peek (dispatch compares heads); without it every task goes
 * through the shared queues. */
static __always_inline bool have_cpu_queues(void)
{
	return bpf_ksym_exists(scx_bpf_dsq_peek) && nr_cpus > 1;
}

static __always_inline u64 cpu_dsq(s32 cpu)
{
	return GS_DSQ_CPU_BASE + (u32)cpu;
}

/* The queue with the earliest waiting deadline found so far. */
struct gs_head {
	u64 dsq;
	u64 deadline; /* another CPU's head: its deadline plus the penalty of moving it */
	bool found;
};

static __always_inline void consider_queue(struct gs_head *h, u64 dsq, u64 penalty)
{
	struct task_struct *p = scx_bpf_dsq_peek(dsq);

	if (p && (!h->found || p->scx.dsq_vtime + penalty < h->deadline)) {
		h->found = true;
		h->dsq = dsq;
		h->deadline = p->scx.dsq_vtime + penalty;
	}
}

/* A lower bound of the deadlines waiting in each CPU's queue, GS_QUEUE_EMPTY while it is known
 * to be empty, so that dispatch peeks (each a lookup of the queue by id in the kernel) only at the
 * CPU queues that may hold a task that could win. It can be low, never high: a task enters CPU
 * c's queue only from an enqueue on c of the task that just ran there (a requeue), under c's
 * runqueue lock, which lowers the bound before the task lands; c's dispatch, which runs under the
 * same lock, is the only place that raises it, to its head's deadline or to empty, right after
 * peeking. Other CPUs only take tasks out, which can only make the head later. 0 (not peeked
 * yet) means anything may wait. The shared queues have no such bound: tasks enter them from
 * every CPU and land after enqueue returns, so no CPU could tell an empty one from an insert
 * under way. */
#define GS_QUEUE_EMPTY (~0ULL)
static u64 cpu_queue_lb[GS_MAX_CPUS];

/* A requeued task with `deadline` is about to enter `cpu`'s queue (enqueue, on `cpu`). */
static __always_inline void cpu_queue_gets(s32 cpu, u64 deadline)
{
	u32 i = gs_index(cpu, GS_MAX_CPUS);

	if (cpu >= 0 && cpu < GS_MAX_CPUS && deadline < cpu_queue_lb[i])
		cpu_queue_lb[i] = deadline;
}

/* `cpu`'s own queue, unless it is known empty; the peek settles the bound (above). */
static __always_inline void consider_own_queue(struct gs_head *h, s32 cpu)
{
	u32 i = gs_index(cpu, GS_MAX_CPUS);
	struct task_struct *p;

	if (cpu < 0 || cpu >= GS_MAX_CPUS || cpu_queue_lb[i] == GS_QUEUE_EMPTY)
		return;
	p = scx_bpf_dsq_peek(cpu_dsq(cpu));
	cpu_queue_lb[i] = p ? p->scx.dsq_vtime : GS_QUEUE_EMPTY;
	if (p && (!h->found || p->scx.dsq_vtime < h->deadline)) {
		h->found = true;
		h->dsq = cpu_dsq(cpu);
		h->deadline = p->scx.dsq_vtime;
	}
}

/* Another CPU's queue, with the penalty of moving its head, unless its bound says that nothing
 * there can beat what was found already. */
static __always_inline void consider_other_queue(struct gs_head *h, u32 cpu, u64 penalty)
{
	u64 lb;

	if (cpu >= GS_MAX_CPUS)
		return;
	lb = cpu_queue_lb[gs_index(cpu, GS_MAX_CPUS)];
	if (lb == GS_QUEUE_EMPTY || (h->found && lb + penalty >= h->deadline))
		return;
	consider_queue(h, cpu_dsq(cpu), penalty);
}

/* How many tasks each domain's shared queue may hold, so that dispatch skips the peek (a lookup
 * of the queue by id) of one that holds none; the CPU-bound tasks of S3 never use it. Counted up
 * when a task is inserted, before it lands, and down only once it has left: it runs, is enqueued
 * again (enqueue is only called for a task on no queue) or exits. So the count is never below
 * what the queue holds, including inserts under way; a task that leaves the class while queued
 * (sched_setscheduler) keeps it high until it comes back or exits: a peek more, never a task
 * missed. A task without a context (its allocation failed) is counted and never uncounted, for
 * the same reason. A task's in_shared is only touched under its runqueue lock or at its exit. */
static u64 shared_queued[GS_MAX_LLCS];

/* p (context tctx, NULL if it has none) is about to be inserted into the shared queue `dsq`. */
static __always_inline void shared_queue_gets(struct task_ctx *tctx, u64 dsq)
{
	u32 llc = dsq - GS_DSQ_LLC_BASE;

	if (llc >= GS_MAX_LLCS || (tctx && tctx->in_shared))
		return;
	__sync_fetch_and_add(&shared_queued[gs_index(llc, GS_MAX_LLCS)], 1);
	if (tctx)
		tctx->in_shared = llc + 1;
}

/* The task is on no shared queue any more (above). */
static __always_inline void shared_queue_left(struct task_ctx *tctx)
{
	u32 llc = tctx->in_shared - 1;

	if (!tctx->in_shared)
		return;
	tctx->in_shared = 0;
	if (llc < GS_MAX_LLCS)
		__sync_fetch_and_add(&shared_queued[gs_index(llc, GS_MAX_LLCS)], -1);
}

/* Whether the shared queue `dsq` may hold a task (above). */
static __always_inline bool shared_queue_may_hold(u64 dsq)
{
	u32 llc = dsq - GS_DSQ_LLC_BASE;

	return llc >= GS_MAX_LLCS || shared_queued[gs_index(llc, GS_MAX_LLCS)];
}

/* The earliest deadline waiting for `cpu` (above). Only called when scx_bpf_dsq_peek exists. */
static __always_inline void earliest_waiting(s32 cpu, u64 shared, const struct gs_tunables *t,
					     struct gs_head *h)
{
	bool own = have_cpu_queues() && cpu >= 0 && cpu < nr_cpus && cpu < GS_MAX_CPUS;
	u32 i, llc, other;

	/* Own first: on equal deadlines the local move wins. */
	if (own)
		consider_own_queue(h, cpu);
	if (shared_queue_may_hold(shared))
		consider_queue(h, shared, 0);
	if (!own)
		return;
	llc = cpu_llc[gs_index(cpu, GS_MAX_CPUS)];
	/* With two CPUs the other one is the only choice: no random number. */
	if (nr_cpus == 2)
		other = (u32)cpu ^ 1;
	else
		other = ((u32)cpu + 1 + bpf_get_prandom_u32() % (nr_cpus - 1)) % nr_cpus;
	if (other < GS_MAX_CPUS && cpu_llc[gs_index(other, GS_MAX_CPUS)] == llc)
		consider_other_queue(h, other, t->slice_ns);
	if (h->found || nr_cpus <= 2)
		return;
	bpf_for(i, 0, nr_cpus) {
		if (i >= GS_MAX_CPUS)
			break;
		if (i != cpu && i != other && cpu_llc[gs_index(i, GS_MAX_CPUS)] == llc)
			consider_other_queue(h, i, t->slice_ns);
	}
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
