/* gamesched: a deadline scheduler for desktops that run games.
 *
 * Every task has a virtual time (p->scx.dsq_vtime) that advances with the CPU time it uses,
 * scaled by its weight. Its deadline is that vtime plus its recent runtime, so tasks that run
 * briefly between sleeps are picked before CPU hogs of the same weight (policy.h). A waking task
 * goes straight to an idle CPU when there is one; otherwise it waits in a deadline-ordered shared
 * queue of its last-level cache domain. CPUs pull from their own domain's queue first, then from
 * the others, so no queued task is left behind while a CPU idles.
 *
 * Ops appear below in the order the kernel calls them for a task's life: select_cpu, enqueue,
 * dispatch, runnable, running, stopping, quiescent, then enable/init/exit.
 */
#include "common.bpf.h"
#include "policy.h"

/* Topology, written by the core from sysfs before load (it never changes while attached: CPU
 * hotplug makes the kernel ask for a restart, and the core reloads with the new layout). */
const volatile u32 nr_llcs = 1;
const volatile u32 cpu_llc[GS_MAX_CPUS];

/* Runtime-writable tunables (array of one), so profiles apply without a reload. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gs_tunables);
} tunables SEC(".maps");

/* Global virtual clock: the vtime of the most recently started task. */
static u64 vtime_now;

struct task_ctx {
	u64 recent_runtime_ns; /* see gs_runtime_after_run/sleep */
	u64 last_run_at;       /* when the task last got a CPU */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctx_stor SEC(".maps");

static const struct gs_tunables tunables_default = {
	.slice_ns = 5 * GS_NSEC_PER_MSEC,
	.slice_min_ns = 500 * GS_NSEC_PER_USEC,
	.lag_clamp_ns = 40 * GS_NSEC_PER_MSEC,
	.starvation_bound_ns = 100 * GS_NSEC_PER_MSEC,
};

static __always_inline const struct gs_tunables *get_tunables(void)
{
	u32 zero = 0;
	const struct gs_tunables *t = bpf_map_lookup_elem(&tunables, &zero);

	return t && t->slice_ns ? t : &tunables_default;
}

static __always_inline struct task_ctx *try_lookup_task_ctx(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctx_stor, p, 0, 0);
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

static __always_inline u64 task_deadline(struct task_struct *p, struct task_ctx *tctx,
					 const struct gs_tunables *t)
{
	u64 weight = p->scx.weight;
	u64 vtime = gs_clamp_vtime(p->scx.dsq_vtime, vtime_now, t->lag_clamp_ns, weight);

	return gs_deadline(vtime, tctx->recent_runtime_ns, weight, t->lag_clamp_ns, 0);
}

/* Wakeup placement: prefer the previous CPU or any idle one (the kernel's idle tracking knows
 * SMT siblings and LLCs from the real topology). An idle pick is dispatched right away. */
s32 BPF_STRUCT_OPS(gamesched_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;
	s32 cpu;

	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle) {
		stat_inc(GS_STAT_DIRECT_IDLE);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, get_tunables()->slice_ns, 0);
	}
	return cpu;
}

/* Not placed by select_cpu: queue by deadline in the task's LLC domain, and wake an idle CPU
 * there if one exists (the task may have been woken without select_cpu, e.g. on a migration). */
void BPF_STRUCT_OPS(gamesched_enqueue, struct task_struct *p, u64 enq_flags)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	s32 cpu = scx_bpf_task_cpu(p);
	u64 dsq = llc_dsq_of_cpu(cpu);
	u64 slice;

	stat_inc(GS_STAT_ENQUEUE);
	if (!tctx) {
		scx_bpf_dsq_insert(p, SCX_DSQ_GLOBAL, t->slice_ns, enq_flags);
		return;
	}
	slice = gs_slice(t->slice_ns, t->slice_min_ns, scx_bpf_dsq_nr_queued(dsq));
	stat_inc(GS_STAT_SHARED_QUEUE);
	scx_bpf_dsq_insert_vtime(p, dsq, slice, task_deadline(p, tctx, t), enq_flags);

	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

/* A CPU ran out of work: pull the earliest deadline from its own domain, then from others. */
void BPF_STRUCT_OPS(gamesched_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 i;

	if (scx_bpf_dsq_move_to_local(llc_dsq_of_cpu(cpu))) {
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

/* Waking after a sleep: the task's recent runtime decays, so a hog that turns interactive
 * earns short deadlines back. */
void BPF_STRUCT_OPS(gamesched_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (tctx)
		tctx->recent_runtime_ns = gs_runtime_after_sleep(tctx->recent_runtime_ns);
}

void BPF_STRUCT_OPS(gamesched_running, struct task_struct *p)
{
	struct task_ctx *tctx = try_lookup_task_ctx(p);

	if (tctx)
		tctx->last_run_at = bpf_ktime_get_ns();
	/* The clock follows the tasks that run; it never goes backwards. */
	if ((s64)(p->scx.dsq_vtime - vtime_now) > 0)
		vtime_now = p->scx.dsq_vtime;
}

/* Charge the time just used to the task's vtime (weighted) and recent runtime. */
void BPF_STRUCT_OPS(gamesched_stopping, struct task_struct *p, bool runnable)
{
	const struct gs_tunables *t = get_tunables();
	struct task_ctx *tctx = try_lookup_task_ctx(p);
	u64 ran;

	if (!tctx)
		return;
	ran = bpf_ktime_get_ns() - tctx->last_run_at;
	p->scx.dsq_vtime += gs_scale_by_weight_inverse(ran, p->scx.weight);
	tctx->recent_runtime_ns = gs_runtime_after_run(tctx->recent_runtime_ns, ran,
						       t->lag_clamp_ns);
}

void BPF_STRUCT_OPS(gamesched_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

s32 BPF_STRUCT_OPS(gamesched_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctx_stor, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -12; /* -ENOMEM: the kernel refuses the task rather than run it untracked */
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(gamesched_init)
{
	u32 i;
	s32 err;

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
	.enable = (void *)gamesched_enable,
	.init_task = (void *)gamesched_init_task,
	.init = (void *)gamesched_init,
	.exit = (void *)gamesched_exit,
	.timeout_ms = 5000,
	.name = GS_OPS_NAME,
};
