package cost

import (
	"fmt"
	"math"
)

// Lever is one of the stack's cost levers (the architecture's cost optimisation section) and what it saves a
// month in the environment priced: when it is in use, what it saves against doing without; when it is not,
// what it would save.
type Lever struct {
	Name       string  `json:"name"`
	InUse      bool    `json:"in_use"`
	MonthlyUSD float64 `json:"monthly_usd"` // expected; negative: it costs more than it saves
	How        string  `json:"how"`
}

// The default off-hours schedule, for what scaling down would save where an environment does not.
const (
	defaultScaleDown = "0 20 * * MON-FRI"
	defaultScaleUp   = "0 7 * * MON-FRI"
)

// keptYear is the reference the retention levers compare with: keeping logs, recovery points and snapshots a
// year.
const keptYear = 365.0

// levers computes the levers from what pricing gathered.
func (p *pricing) levers() []Lever {
	usd := func(item string) float64 {
		pr, err := p.t.Lookup(item, "")
		if err != nil {
			return 0
		}
		return pr.USD
	}
	var out []Lever

	// Spot
	spot := Lever{Name: "Spot instead of on-demand instances"}
	off := Lever{Name: "scheduled scale-down out of hours"}
	for _, g := range p.ondemand {
		spotHours := g.actual.Expected * g.spotShare.Expected * p.hours
		if spotHours > 0 {
			spot.InUse = true
			spot.MonthlyUSD += spotHours * g.spotUSD * p.spot.Mid()
		}
		blended := g.odUSD*(1-g.spotShare.Expected) + g.spotUSD*(1-p.spot.Mid())*g.spotShare.Expected
		if g.always.Expected > g.actual.Expected {
			off.InUse = true
			off.MonthlyUSD += (g.always.Expected - g.actual.Expected) * p.hours * blended
		}
	}
	if spot.InUse {
		spot.How = fmt.Sprintf("Spot capacity at %.0f %% off on-demand (the middle of %.0f-%.0f %%)", p.spot.Mid()*100, p.spot.Low*100, p.spot.High*100)
	} else {
		for _, g := range p.ondemand {
			spot.MonthlyUSD += g.actual.Expected * p.hours * g.odUSD * p.spot.Mid()
		}
		spot.How = fmt.Sprintf("not used: every instance is on-demand; all on Spot would save this at %.0f %% off", p.spot.Mid()*100)
	}
	if off.InUse {
		off.How = "the instance-hours the off-hours schedule takes away"
	} else {
		share, _ := offHoursShare(defaultScaleDown, defaultScaleUp)
		for _, g := range p.ondemand {
			off.MonthlyUSD += g.always.Expected * share * p.hours * g.odUSD
		}
		off.How = fmt.Sprintf("not used: scaling to 0 from %s to %s UTC (%.0f %% of the week) would save this", defaultScaleDown, defaultScaleUp, share*100)
	}
	out = append(out, spot, off)

	// gp3
	gp3 := Lever{Name: "gp3 instead of gp2 volumes", How: fmt.Sprintf("%s/GB-month less than gp2 on every instance volume", trimUSD(usd("ebs_gp2")-usd("ebs_gp3")))}
	for _, l := range p.lines {
		if l.Item == "ebs_gp3" {
			gp3.InUse = true
			gp3.MonthlyUSD += l.Quantity.Expected * (usd("ebs_gp2") - usd("ebs_gp3"))
		}
	}
	out = append(out, gp3)

	// retention
	logs := Lever{Name: "log retention", How: "log groups expire their events instead of keeping a year"}
	for _, g := range p.logsKept {
		if g.days < keptYear {
			logs.InUse = true
			logs.MonthlyUSD += g.perDay * (keptYear - g.days) * usd("logs_storage")
		}
	}
	backups := Lever{Name: "backup retention", InUse: p.backupsSaved > 0, MonthlyUSD: p.backupsSaved,
		How: "recovery points and snapshots expire instead of being kept a year"}
	if p.backupsSaved == 0 {
		backups.How = "no backups or snapshots kept for less than a year"
	}
	s3 := Lever{Name: "S3 lifecycle to Standard-IA and Glacier", InUse: p.lifecycleSaved > 0, MonthlyUSD: p.lifecycleSaved,
		How: "log objects move to cheaper storage classes instead of staying in Standard until they expire"}
	out = append(out, logs, backups, s3)

	// NAT
	perNAT := (usd("nat_gateway") + usd("public_ipv4")) * p.hours
	nat := Lever{Name: "one NAT gateway instead of one per zone"}
	switch {
	case p.nat.gateways == 0:
		nat.How = "no NAT gateways"
	case p.nat.gateways < p.nat.azs:
		nat.InUse, nat.MonthlyUSD = true, float64(p.nat.azs-p.nat.gateways)*perNAT
		nat.How = fmt.Sprintf("%d gateway(s) for %d zones: the others' hours and addresses saved (a zone's loss cuts the others' egress)", p.nat.gateways, p.nat.azs)
	default:
		nat.MonthlyUSD = float64(p.nat.gateways-1) * perNAT
		nat.How = fmt.Sprintf("not used: one gateway per zone (%d) keeps egress up when a zone fails; one alone would save this", p.nat.gateways)
	}
	out = append(out, nat)

	// endpoints
	ep := Lever{Name: "interface endpoints instead of NAT for AWS API traffic"}
	endpointHours := 0.0
	for _, l := range p.lines {
		if l.Item == "interface_endpoint" {
			ep.InUse = true
			endpointHours += l.Monthly.Expected
		}
	}
	if ep.InUse {
		ep.MonthlyUSD = p.u.EndpointDataGB*(usd("nat_data")-usd("endpoint_data"))*p.hours/p.t.HoursPerMonth - endpointHours
		ep.How = fmt.Sprintf("endpoint_data_gb %g at %s/GB instead of %s/GB through NAT, less the endpoints' own %.2f", p.u.EndpointDataGB,
			trimUSD(usd("endpoint_data")), trimUSD(usd("nat_data")), endpointHours)
		if ep.MonthlyUSD < 0 {
			ep.How += ": at this traffic they cost more than they save (they are there to keep instances off the internet path)"
		}
	} else {
		ep.How = "no interface endpoints"
	}
	return append(out, ep)
}

// keptLogs is what a log group keeps: a day's logs and the days it keeps them.
type keptLogs struct{ perDay, days float64 }

// saveRetention adds to the backup retention lever what keeping copies a year instead of keep days would cost
// more.
func (p *pricing) saveRetention(item string, data, interval, keep float64, copies Amount) {
	if keep >= keptYear || data == 0 {
		return
	}
	pr, err := p.t.Lookup(item, "")
	if err != nil {
		return
	}
	more := p.incremental(data, interval, keptYear) - p.incremental(data, interval, keep)
	p.backupsSaved += math.Max(0, more) * copies.Expected * pr.USD * p.hours / p.t.HoursPerMonth
}
