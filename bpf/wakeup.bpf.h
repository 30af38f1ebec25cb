/* What a wakeup changes in a task (gamesched.bpf.c): its recent runtime decays (a hog turning
 * interactive recovers), and a game thread's behaviour and role are updated. Done where the
 * wakeup is seen first: select_cpu, which runs in the waker's context, or enqueue for a wakeup that
 * did not go through select_cpu (a task allowed on one CPU only). Included by gamesched.bpf.c
 * only, after task_ctx.bpf.h. */

/* Who wakes a game thread, seen where it is certain: select_cpu runs in the waker's context
 * (enqueue may run later on the target CPU, under whatever task runs there). The waker learns
 * that it woke a peer, and whether it passed work along: fed by one peer, waking another. */
static __always_inline void note_waker(struct task_struct *p, struct task_ctx *tctx)
{
	struct task_struct *waker = bpf_get_current_task_btf();
	struct task_ctx *wctx;

	tctx->pending_waker_tid = 0;
	tctx->pending_by_render = 0;
	if (waker->tgid != p->tgid || waker->pid == p->pid)
		return;
	tctx->pending_waker_tid = waker->pid;
	wctx = try_lookup_task_ctx(waker);
	if (!wctx)
		return;
	wctx->woke_peer = 1;
	if (wctx->waker_tid && wctx->waker_tid != p->pid)
		wctx->forwarded = 1;
	tctx->pending_by_render = wctx->role == GS_ROLE_RENDER;
}

/* A wakeup of a game thread: update its behaviour (period, burst, what woke it) and its role. */
static __always_inline void observe_wakeup(struct task_struct *p, struct task_ctx *tctx, u64 now)
{
	struct gs_behaviour *b = &tctx->beh;
	u32 old_role = tctx->role, role;
	int by_input;

	if (tctx->last_wake_at && now > tctx->last_wake_at)
		b->avg_period_ns = gs_ewma(b->avg_period_ns, now - tctx->last_wake_at);
	tctx->last_wake_at = now;
	b->avg_burst_ns = gs_ewma(b->avg_burst_ns, tctx->burst_ns);
	tctx->burst_ns = 0;
	by_input = tctx->input_wake_pending;
	tctx->input_wake_pending = 0;
	b->input_wake_pct = gs_ratio_update(b->input_wake_pct, by_input);
	b->wakes_peer_pct = gs_ratio_update(b->wakes_peer_pct, tctx->woke_peer);
	b->forwards_pct = gs_ratio_update(b->forwards_pct, tctx->forwarded);
	tctx->woke_peer = 0;
	tctx->forwarded = 0;
	/* This activation's waker, as select_cpu saw it (none if select_cpu did not run). */
	tctx->waker_tid = tctx->pending_waker_tid;
	b->woken_by_peer_pct = gs_ratio_update(b->woken_by_peer_pct, tctx->pending_waker_tid != 0);
	b->woken_by_render_pct = gs_ratio_update(b->woken_by_render_pct, tctx->pending_by_render);
	tctx->pending_waker_tid = 0;
	tctx->pending_by_render = 0;
	if (b->nr_wakeups < 0xffffffff)
		b->nr_wakeups++;

	role = infer_role(p, b, old_role);
	tctx->role = role;
	if (role != old_role)
		stat_inc(GS_STAT_ROLE_CHANGE);
	if (role != old_role || (b->nr_wakeups & 63) == 0) {
		publish_thread(p, b, role);
		tctx->published = 1;
	}
	game_stats_wakeup(p, role, now);
}

/* A wakeup (not a new task: select_cpu with SCX_WAKE_TTWU, enqueue with SCX_ENQ_WAKEUP).
 * `in_select`: seen in select_cpu, in the waker's context, where the waker and the input event
 * behind the wakeup are known. */
static __always_inline void task_wakes(struct task_struct *p, struct task_ctx *tctx, bool in_select,
				       const struct gs_tunables *t)
{
	u64 now;

	/* The last turn before the sleep first (charge_turn). */
	charge_turn(p, tctx, t);
	tctx->recent_runtime_ns = gs_runtime_after_sleep(tctx->recent_runtime_ns);
	if (!task_is_game(p, tctx))
		return;
	if (in_select) {
		note_waker(p, tctx);
		/* On the CPU that handled the input event, if this wakeup came out of one. */
		tctx->input_wake_pending = woken_by_input();
	}
	now = scx_bpf_now();
	observe_wakeup(p, tctx, now);
}
