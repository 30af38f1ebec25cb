/* The benchmark baseline: one global FIFO queue, the default 20 ms slice, no idle-CPU
 * preference beyond the kernel's default. It exists so that every benchmark run can show its
 * load is heavy enough to tell schedulers apart (a FIFO must lose clearly to EEVDF there).
 * Never shipped as a scheduler for users. */
#include "common.bpf.h"

#define FIFO_DSQ 0x10

s32 BPF_STRUCT_OPS(fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool is_idle = false;

	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

void BPF_STRUCT_OPS(fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	stat_inc(GS_STAT_ENQUEUE);
	scx_bpf_dsq_insert(p, FIFO_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(fifo_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_dsq_move_to_local(FIFO_DSQ))
		stat_inc(GS_STAT_DISPATCH);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fifo_init)
{
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

void BPF_STRUCT_OPS(fifo_exit, struct scx_exit_info *ei)
{
	gs_record_exit(ei);
}

SEC(".struct_ops.link")
struct sched_ext_ops fifo_ops = {
	.select_cpu = (void *)fifo_select_cpu,
	.enqueue = (void *)fifo_enqueue,
	.dispatch = (void *)fifo_dispatch,
	.init = (void *)fifo_init,
	.exit = (void *)fifo_exit,
	.timeout_ms = 5000,
	.name = GS_FIFO_OPS_NAME,
};
