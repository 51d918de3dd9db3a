package cost

import (
	"fmt"
	"strconv"
	"strings"
)

// offHoursShare is the share of a week that a scale-down recurrence (down) and a scale-up recurrence (up) keep
// the group scaled down: both are five-field cron expressions (minute hour day-of-month month day-of-week), as
// Auto Scaling scheduled actions take them. Two weeks are walked minute by minute and the second one counted, so
// that the state at its start is what the schedules left. Days of the month and months are not modelled (the
// stack's schedules use *); a recurrence that names them is refused.
func offHoursShare(down, up string) (float64, error) {
	d, err := parseCron(down)
	if err != nil {
		return 0, err
	}
	u, err := parseCron(up)
	if err != nil {
		return 0, err
	}
	const week = 7 * 24 * 60
	scaledDown, off := false, 0
	for m := 0; m < 2*week; m++ {
		// minute m of a week starting on Monday 00:00
		day, hour, minute := (m/(24*60))%7, (m/60)%24, m%60
		dow := (day + 1) % 7 // cron: 0 = Sunday
		if d.match(minute, hour, dow) {
			scaledDown = true
		}
		if u.match(minute, hour, dow) {
			scaledDown = false
		}
		if m >= week && scaledDown {
			off++
		}
	}
	return float64(off) / week, nil
}

type cron struct{ minute, hour, dow map[int]bool }

func (c cron) match(minute, hour, dow int) bool {
	return c.minute[minute] && c.hour[hour] && c.dow[dow]
}

var dayNames = map[string]int{"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}

func parseCron(expr string) (cron, error) {
	f := strings.Fields(expr)
	if len(f) != 5 {
		return cron{}, fmt.Errorf("recurrence %q is not a five-field cron expression", expr)
	}
	if f[2] != "*" || f[3] != "*" {
		return cron{}, fmt.Errorf("recurrence %q: days of the month and months are not modelled (use * for both)", expr)
	}
	var c cron
	var err error
	if c.minute, err = cronField(f[0], 0, 59, nil); err != nil {
		return cron{}, fmt.Errorf("recurrence %q: minute: %w", expr, err)
	}
	if c.hour, err = cronField(f[1], 0, 23, nil); err != nil {
		return cron{}, fmt.Errorf("recurrence %q: hour: %w", expr, err)
	}
	if c.dow, err = cronField(f[4], 0, 7, dayNames); err != nil {
		return cron{}, fmt.Errorf("recurrence %q: day of week: %w", expr, err)
	}
	if c.dow[7] {
		c.dow[0] = true // 7 is Sunday too
	}
	return c, nil
}

// cronField reads a list of values, ranges (a-b), steps (*/n, a-b/n) and *.
func cronField(s string, lo, hi int, names map[string]int) (map[int]bool, error) {
	out := map[int]bool{}
	value := func(v string) (int, error) {
		if n, ok := names[strings.ToUpper(v)]; ok {
			return n, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("%q is not a value from %d to %d", v, lo, hi)
		}
		return n, nil
	}
	for _, part := range strings.Split(s, ",") {
		rng, stepText, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("step %q is not a positive number", stepText)
			}
			step = n
		}
		from, to := lo, hi
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if from, err = value(a); err != nil {
				return nil, err
			}
			to = from
			if isRange {
				if to, err = value(b); err != nil {
					return nil, err
				}
			}
			if to < from {
				return nil, fmt.Errorf("range %q runs backwards", rng)
			}
		}
		for v := from; v <= to; v += step {
			out[v] = true
		}
	}
	return out, nil
}
