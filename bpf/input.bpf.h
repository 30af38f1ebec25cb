/* In-kernel input boost. The core lists every keyboard, mouse and gamepad it finds (any vendor)
 * in input_devices; when one of them produces a key, motion or axis event, input_event opens
 * that class's boost window right there in the kernel, before any userspace process runs. A key
 * or button held down keeps it open (keyhold.bpf.h). */
#ifndef GAMESCHED_INPUT_BPF_H
#define GAMESCHED_INPUT_BPF_H

#include "keyhold.bpf.h"

#define GS_EV_KEY 0x01
#define GS_EV_REL 0x02
#define GS_EV_ABS 0x03
/* A wakeup this soon after an input event on the same CPU is taken as caused by it. */
#define GS_INPUT_WAKE_NS (1000 * GS_NSEC_PER_USEC)

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, GS_MAX_INPUT_DEVICES);
	__type(key, u64); /* gs_input_key(bustype, vendor, product, version) */
	__type(value, struct gs_input_device);
} input_devices SEC(".maps");

/* One entry; the userspace fallback path writes the same fields when this program can't attach. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct gs_input_state);
} input_state SEC(".maps");

/* Per CPU: when this CPU last handled an input event (input-handler wakeups follow it). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} input_cpu_ts SEC(".maps");

static __always_inline struct gs_input_state *get_input_state(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&input_state, &zero);
}

/* Whether any class's boost window is open now. */
static __always_inline bool input_window_open(u64 now)
{
	struct gs_input_state *st = get_input_state();
	u32 c;

	if (!st)
		return false;
	for (c = 0; c < GS_NR_INPUT_CLASSES; c++) {
		if (st->window_end_ns[c] > now)
			return true;
	}
	return false;
}

/* Whether a wakeup issued on this CPU now follows an input event handled here. Costs a clock read
 * only in the short while after an input event: the first look after that clears the mark. The
 * clock is the input path's own (CLOCK_MONOTONIC, which the userspace fallback also uses). */
static __always_inline bool woken_by_input(void)
{
	u32 zero = 0;
	u64 *ts = bpf_map_lookup_elem(&input_cpu_ts, &zero);

	if (!ts || !*ts)
		return false;
	if (bpf_ktime_get_ns() - *ts < GS_INPUT_WAKE_NS)
		return true;
	*ts = 0;
	return false;
}

static __always_inline const struct gs_tunables *get_tunables(void);

SEC("fentry/input_event")
int BPF_PROG(gamesched_input_event, struct input_dev *dev, unsigned int type, unsigned int code,
	     int value)
{
	struct gs_input_device *known;
	struct gs_input_state *st;
	u64 key, now, window;
	u32 cls, zero = 0;
	u64 *cpu_ts;

	if (type != GS_EV_KEY && type != GS_EV_REL && type != GS_EV_ABS)
		return 0;
	key = gs_input_key(dev->id.bustype, dev->id.vendor, dev->id.product, dev->id.version);
	known = bpf_map_lookup_elem(&input_devices, &key);
	if (!known) {
		stat_inc(GS_STAT_INPUT_IGNORED);
		return 0;
	}
	cls = known->input_class;
	st = get_input_state();
	if (!st || cls >= GS_NR_INPUT_CLASSES)
		return 0;
	now = bpf_ktime_get_ns();
	window = get_tunables()->input_window_ns[cls];
	st->last_event_ns[cls] = now;
	if (type == GS_EV_KEY)
		st->window_end_ns[cls] = key_hold_window_end(dev, key, cls, code, value,
							     st->window_end_ns[cls], now, window);
	else if (window && st->window_end_ns[cls] < now + window)
		st->window_end_ns[cls] = now + window;
	cpu_ts = bpf_map_lookup_elem(&input_cpu_ts, &zero);
	if (cpu_ts)
		*cpu_ts = now;
	if (window)
		stat_inc(GS_STAT_INPUT_KEYBOARD + cls);
	return 0;
}

#endif /* GAMESCHED_INPUT_BPF_H */
