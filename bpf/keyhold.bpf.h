/* Key-hold in the kernel (see keyhold.h for the rule and why it is built on press and release):
 * which device holds each class's window open, and whether it still has keys down, read from the
 * input core's own key bitmap rather than counted, so a missed or duplicated event cannot leave a
 * count wrong. */
#ifndef GAMESCHED_KEYHOLD_BPF_H
#define GAMESCHED_KEYHOLD_BPF_H

#include "keyhold.h"

/* Per class: gs_input_key() of the device whose press holds the window open; 0 when none. */
static u64 key_holder[GS_NR_INPUT_CLASSES];

/* Whether dev has a key down other than code. At fentry time the input core has not applied
 * this event yet, so code's own bit still shows its state before the event. */
static __always_inline bool other_keys_down(struct input_dev *dev, unsigned int code)
{
	unsigned long keys[sizeof(dev->key) / sizeof(dev->key[0])];
	u32 word = code / 64, i;
	unsigned long bit = 1UL << (code % 64);

	if (bpf_probe_read_kernel(keys, sizeof(keys), &dev->key))
		return false;
	/* Unrolled: constant stack offsets (a variable one is refused by the verifier). */
#pragma unroll
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i] & (i == word ? ~bit : ~0UL))
			return true;
	}
	return false;
}

static __always_inline u64 key_hold_window_end(struct input_dev *dev, u64 dev_key, u32 cls,
					       unsigned int code, int value, u64 end, u64 now,
					       u64 window)
{
	int holder, still_down;

	if (cls >= GS_NR_INPUT_CLASSES)
		return end;
	holder = key_holder[cls] == dev_key;
	still_down = value == GS_KEY_RELEASE && other_keys_down(dev, code);
	end = gs_key_window_end(end, now, window, GS_KEY_HOLD_MAX_NS, value, holder, still_down);
	if (value == GS_KEY_PRESS)
		key_holder[cls] = dev_key;
	else if (value == GS_KEY_RELEASE && holder && !still_down)
		key_holder[cls] = 0;
	return end;
}

#endif /* GAMESCHED_KEYHOLD_BPF_H */
