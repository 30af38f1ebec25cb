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

/* The earliest deadline waiting for `cpu` (above). Only called when scx_bpf_dsq_peek exists. */
static __always_inline void earliest_waiting(s32 cpu, u64 shared, const struct gs_tunables *t,
					     struct gs_head *h)
{
	bool own = have_cpu_queues() && cpu >= 0 && cpu < nr_cpus && cpu < GS_MAX_CPUS;
	u32 i, llc, other;

	/* Own first: on equal deadlines the local move wins. */
	if (own)
		consider_queue(h, cpu_dsq(cpu), 0);
	consider_queue(h, shared, 0);
	if (!own)
		return;
	llc = cpu_llc[cpu];
	other = ((u32)cpu + 1 + bpf_get_prandom_u32() % (nr_cpus - 1)) % nr_cpus;
	if (other < GS_MAX_CPUS && cpu_llc[other] == llc)
		consider_queue(h, cpu_dsq(other), t->slice_ns);
	if (h->found || nr_cpus <= 2)
		return;
	bpf_for(i, 0, nr_cpus) {
		if (i >= GS_MAX_CPUS)
			break;
		if (i != cpu && i != other && cpu_llc[i] == llc)
			consider_queue(h, cpu_dsq(i), t->slice_ns);
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
