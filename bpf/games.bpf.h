/* Which processes are games, which one has focus, and process exec/exit events for the core.
 * The core fills the maps from verified hints; the exit tracepoint removes a game the moment its
 * last thread exits, so a lease can never outlive its process. */
#ifndef GAMESCHED_GAMES_BPF_H
#define GAMESCHED_GAMES_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GS_MAX_GAMES);
	__type(key, u32); /* TGID */
	__type(value, struct gs_game);
} games SEC(".maps");

/* Bumped by the core after every change to the game map (one entry). Each task caches whether it
 * belongs to a game together with the generation it saw, so the hot paths look the game map up
 * only when it changed. The tracepoints need no bump: an exit takes all the threads (and their
 * caches) with it, and a privileged exec leaves one thread, whose cache it clears itself. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} games_generation SEC(".maps");

/* The focused window's TGID (0 = unknown), one entry. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u32);
} focus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} proc_events SEC(".maps");

static __always_inline void desktop_proc_exited(u32 tgid); /* desktop.bpf.h */

static __always_inline bool is_game_tgid(u32 tgid)
{
	return bpf_map_lookup_elem(&games, &tgid) != NULL;
}

static __always_inline u64 current_games_generation(void)
{
	u32 zero = 0;
	u64 *gen = bpf_map_lookup_elem(&games_generation, &zero);

	return gen ? *gen : 0;
}

static __always_inline bool is_focused_tgid(u32 tgid)
{
	u32 zero = 0;
	u32 *f = bpf_map_lookup_elem(&focus, &zero);

	return f && *f && *f == tgid;
}

/* wake_core = false leaves the record for the core's next read (the next exec or its periodic
 * drain): one wakeup per spawn instead of two. */
static __always_inline void emit_proc_event(struct task_struct *p, u32 kind, u32 flags,
					    bool wake_core)
{
	struct gs_proc_event *ev = bpf_ringbuf_reserve(&proc_events, sizeof(*ev), 0);

	if (!ev) {
		stat_inc(GS_STAT_RINGBUF_DROP);
		return;
	}
	ev->ts_ns = bpf_ktime_get_ns();
	ev->kind = kind;
	ev->pid = p->tgid;
	ev->ppid = BPF_CORE_READ(p, real_parent, tgid);
	ev->uid = BPF_CORE_READ(p, cred, uid.val);
	bpf_probe_read_kernel_str(ev->comm, sizeof(ev->comm), p->comm);
	ev->flags = flags;
	ev->pad = 0;
	bpf_ringbuf_submit(ev, wake_core ? 0 : BPF_RB_NO_WAKEUP);
}

/* Defined by the scheduler (gamesched.bpf.c): the task's cached membership and role go. */
static __always_inline void task_leaves_game(struct task_struct *p);

static __always_inline void forget_game(u32 tgid)
{
	u32 zero = 0;
	u32 *f;

	if (is_game_tgid(tgid)) /* a lookup is lock-free; most exits are not games' */
		bpf_map_delete_elem(&games, &tgid);
	desktop_proc_exited(tgid); /* a compositor/audio server loses its treatment the same way */
	f = bpf_map_lookup_elem(&focus, &zero);
	if (f && *f == tgid)
		*f = 0;
}

/* A game that execs a set-uid/set-gid or file-capability program is no longer what its owner
 * vouched for: it loses its boosts here, before its first instruction runs. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(gamesched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	u32 flags = 0;

	stat_inc(GS_STAT_EXEC_EVENT);
	if (BPF_CORE_READ_BITFIELD(bprm, secureexec)) {
		flags |= GS_PROC_SECURE_EXEC;
		forget_game(p->tgid);
		/* After exec the process is this one thread: its cached game membership goes too. */
		task_leaves_game(p);
	}
	emit_proc_event(p, GS_PROC_EXEC, flags, true);
	return 0;
}

/* Only the death of the whole thread group ends a process. A game's exit wakes the core at once
 * (its lease ends); any other exit waits for the next wakeup. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(gamesched_exit_tp, struct task_struct *p, bool group_dead)
{
	bool was_game;

	if (!group_dead)
		return 0;
	stat_inc(GS_STAT_EXIT_EVENT);
	was_game = is_game_tgid(p->tgid);
	forget_game(p->tgid);
	emit_proc_event(p, GS_PROC_EXIT, 0, was_game);
	return 0;
}

#endif /* GAMESCHED_GAMES_BPF_H */
