/* The sched_ext kfuncs gamesched calls, declared by us (vmlinux.h is generated with its own
 * prototypes switched off by BPF_NO_KFUNC_PROTOTYPES) so that the set we depend on is explicit
 * and reviewable. Signatures follow the 7.x kernels' BTF; the verifier checks them at load. */
#ifndef GAMESCHED_SCX_KFUNCS_H
#define GAMESCHED_SCX_KFUNCS_H

/* Queues. */
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags) __ksym;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym;
/* 6.19 and later; without it a task whose slice ran out always goes through its queue. */
struct task_struct *scx_bpf_dsq_peek(u64 dsq_id) __ksym __weak;
/* A queue's tasks in order, and the move of one of them by name (dispatch without the peek). */
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;
bool scx_bpf_dsq_move(struct bpf_iter_scx_dsq *it__iter, struct task_struct *p, u64 dsq_id,
		      u64 enq_flags) __ksym __weak;

/* CPU selection and idle tracking. */
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags,
			   bool *is_idle) __ksym;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym;
const struct cpumask *scx_bpf_get_idle_cpumask(void) __ksym;
void scx_bpf_put_idle_cpumask(const struct cpumask *idle_mask) __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym;
/* The rq clock when valid: cheaper than bpf_ktime_get_ns() and enough for durations. */
u64 scx_bpf_now(void) __ksym;

/* Errors and exit. The _bstr forms take a format and a u64 array, as the verifier requires. */
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym;

/* cpumask helpers. */
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym;
bool bpf_cpumask_empty(const struct cpumask *cpumask) __ksym;

#endif /* GAMESCHED_SCX_KFUNCS_H */
