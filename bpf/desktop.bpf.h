/* The desktop around a game: a frame is seen only once the compositor has composited it, and a
 * game's sound is heard only once the audio server has mixed it. While a game has the focus,
 * the processes the core lists here (from verified hints: a user may name only their own
 * compositor and audio server) get the latency share the focused game's own thread of that kind
 * gets, never more: the compositor what its render thread gets, the audio server what its audio
 * thread gets.
 *
 * Bounded: the boost only moves deadlines earlier, within the lag window (policy.h), so the
 * boosted process still pays for every nanosecond it runs in virtual time and the runtime cap
 * still bounds how long it can overtake a waiting task; a compositor that turns into a CPU hog gets its fair share, not more.
 * Without a focused game they are ordinary tasks. */
#ifndef GAMESCHED_DESKTOP_BPF_H
#define GAMESCHED_DESKTOP_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GS_MAX_DESKTOP_PROCS);
	__type(key, u32); /* TGID */
	__type(value, struct gs_desktop_proc);
} desktop_procs SEC(".maps");

/* Called from the exit tracepoint and for a set-uid exec: a recycled pid must never inherit the
 * treatment. A lookup is lock-free; most exits are not desktop processes'. */
static __always_inline void desktop_proc_exited(u32 tgid)
{
	if (bpf_map_lookup_elem(&desktop_procs, &tgid))
		bpf_map_delete_elem(&desktop_procs, &tgid);
}

/* The boost of a task that is not a game thread: 0 unless it belongs to a listed desktop
 * process and a game has the focus. Cheapest test first: the focus array. */
static __always_inline u32 desktop_boost(struct task_struct *p, const struct gs_tunables *t)
{
	struct gs_desktop_proc *d;
	u32 zero = 0, tgid = p->tgid, boost;
	u32 *f = bpf_map_lookup_elem(&focus, &zero);

	if (!f || !*f)
		return 0;
	d = bpf_map_lookup_elem(&desktop_procs, &tgid);
	if (!d || !is_game_tgid(*f))
		return 0;
	boost = t->game_boost_pct + t->focus_boost_pct;
	if (d->role == GS_DESKTOP_AUDIO ||
	    (d->role == GS_DESKTOP_COMPOSITOR && input_window_open(bpf_ktime_get_ns())))
		boost += t->input_boost_pct;
	stat_inc(GS_STAT_DESKTOP_BOOSTED);
	return boost > GS_BOOST_MAX ? GS_BOOST_MAX : boost;
}

#endif /* GAMESCHED_DESKTOP_BPF_H */
