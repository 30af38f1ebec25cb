/* Behaviour tracking and role inference for game threads (roles.h holds the rules). Only threads
 * of a registered game are tracked: everything else keeps role NONE and no boost. */
#ifndef GAMESCHED_ROLES_BPF_H
#define GAMESCHED_ROLES_BPF_H

#include "roles.h"

/* What the scheduler concluded per game thread, readable by the core (status, tests). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GS_MAX_GAME_THREADS);
	__type(key, u32); /* TID */
	__type(value, struct gs_thread_info);
} game_threads SEC(".maps");

/* Thread names that hint at a role, from an updatable table the core loads. Consulted only when
 * behaviour alone says "worker". */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GS_MAX_NAME_HINTS);
	__type(key, char[GS_COMM_LEN]);
	__type(value, struct gs_name_hint);
} name_hints SEC(".maps");

static __always_inline u32 name_hint_role(struct task_struct *p)
{
	char comm[GS_COMM_LEN] = {};
	struct gs_name_hint *hint;

	bpf_probe_read_kernel_str(comm, sizeof(comm), p->comm);
	hint = bpf_map_lookup_elem(&name_hints, comm);
	return hint && hint->role < GS_NR_ROLES ? hint->role : GS_ROLE_WORKER;
}

static __always_inline void publish_thread(struct task_struct *p, const struct gs_behaviour *b,
					   u32 role)
{
	struct gs_thread_info info = {
		.tgid = p->tgid,
		.role = role,
		.avg_period_ns = b->avg_period_ns,
		.avg_burst_ns = b->avg_burst_ns,
		.input_wake_pct = b->input_wake_pct,
		.nr_wakeups = b->nr_wakeups,
		.woken_by_peer_pct = b->woken_by_peer_pct,
		.woken_by_render_pct = b->woken_by_render_pct,
		.wakes_peer_pct = b->wakes_peer_pct,
		.forwards_pct = b->forwards_pct,
	};
	u32 tid = p->pid;

	bpf_probe_read_kernel_str(info.comm, sizeof(info.comm), p->comm);
	bpf_map_update_elem(&game_threads, &tid, &info, BPF_ANY);
}

static __always_inline u32 infer_role(struct task_struct *p, const struct gs_behaviour *b,
				       u32 current)
{
	u32 role = gs_classify(b, current);

	if (role == GS_ROLE_WORKER && b->nr_wakeups >= GS_ROLE_MIN_SAMPLES)
		role = name_hint_role(p);
	return role;
}

#endif /* GAMESCHED_ROLES_BPF_H */
