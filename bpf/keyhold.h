/* Key-hold: while a key (or a mouse or gamepad button) stays down, its class's input boost window
 * stays open, up to a bound after the latest press; when the last key goes up it closes one
 * ordinary window after the release. Pure arithmetic, compiled into the BPF scheduler and into the
 * host unit tests (tests/unit/policy).
 *
 * Why from press and release rather than autorepeat: the input core generates autorepeat from a
 * timer (input_repeat_key) that hands the events to the handlers without going through
 * input_event(). Measured in the VM (tests/vm/scenarios/keyhold.sh): a key held 1.5 s on a uinput
 * keyboard with EV_REP gave evdev readers 31 repeats and the fentry/input_event program none.
 * Gamepads and mice have no autorepeat at all. The bound keeps a lost release (a device unplugged
 * with a key down) from holding the window open for good. */
#ifndef GAMESCHED_KEYHOLD_H
#define GAMESCHED_KEYHOLD_H

#include "intf.h"

/* How long one press can keep the window open while its key stays down. */
#define GS_KEY_HOLD_MAX_NS (2000ULL * 1000 * 1000)

/* EV_KEY values. */
#define GS_KEY_RELEASE 0
#define GS_KEY_PRESS 1
#define GS_KEY_REPEAT 2

/* The class's new window end after a key event.
 *   end        the window's end before the event;
 *   window     the class's ordinary window (0: boosts for this class are off, nothing changes);
 *   holder     the event comes from the device whose press holds the window open;
 *   still_down that device has other keys down besides this one (meaningful for a release).
 * A release that ends the hold may close the window earlier than before: the hold is over. */
static inline u64 gs_key_window_end(u64 end, u64 now, u64 window, u64 hold_max, int value, int holder,
				    int still_down)
{
	u64 normal = now + window;
	u64 held = now + (hold_max > window ? hold_max : window);

	if (window == 0)
		return end;
	if (value == GS_KEY_PRESS)
		return end > held ? end : held;
	if (value == GS_KEY_RELEASE && holder && !still_down)
		return normal;
	return end > normal ? end : normal;
}

#endif /* GAMESCHED_KEYHOLD_H */
