package cost

import (
	"fmt"
	"math"
	"strings"

	"github.com/ec2stack/ec2stack/internal/price"
)

// daysPerMonth is the month of the price table in days (730 h).
func (p *pricing) daysPerMonth() float64 { return p.t.HoursPerMonth / 24 }

// pricer turns the resources of one priced type into lines.
type pricer struct {
	typ   string
	price func(*pricing, []resource) error
}

// pricers, in the order estimates list them; their types are exactly the table's priced resource types (a test
// holds them equal). Auto Scaling groups come first: snapshots are priced from the instances they run.
var pricers = []pricer{
	{"aws_autoscaling_group", (*pricing).autoscalingGroups},
	{"aws_nat_gateway", (*pricing).natGateways},
	{"aws_eip", (*pricing).elasticIPs},
	{"aws_lb", (*pricing).loadBalancers},
	{"aws_vpc_endpoint", (*pricing).endpoints},
	{"aws_db_instance", (*pricing).databases},
	{"aws_kms_key", each("kms_key", "customer managed key", "each of the first two yearly rotations adds 1.00 a month")},
	{"aws_wafv2_web_acl", (*pricing).webACLs},
	{"aws_cloudfront_distribution", (*pricing).distributions},
	{"aws_route53_zone", (*pricing).zones},
	{"aws_cloudwatch_metric_alarm", (*pricing).alarms},
	{"aws_cloudwatch_composite_alarm", each("cloudwatch_composite_alarm", "composite alarm", "")},
	{"aws_cloudwatch_dashboard", each("cloudwatch_dashboard", "dashboard", "")},
	{"aws_cloudwatch_log_group", (*pricing).logGroups},
	{"aws_s3_bucket", (*pricing).buckets},
	{"aws_backup_plan", (*pricing).backupPlans},
	{"aws_db_instance_automated_backups_replication", (*pricing).backupReplications},
	{"aws_dlm_lifecycle_policy", (*pricing).snapshotPolicies},
}

// each prices one of item per resource, for the whole period.
func each(item, what, note string) func(*pricing, []resource) error {
	return func(p *pricing, rs []resource) error {
		if note == "" {
			note = p.t.Items[item].Note
		}
		for _, r := range rs {
			if err := p.add(r, what, item, "", flat(1), flat(1), note); err != nil {
				return err
			}
		}
		return nil
	}
}

// inModule returns the resources of typ in module.
func (p *pricing) inModule(typ, module string) []resource {
	var out []resource
	for _, r := range p.byType[typ] {
		if r.module == module {
			out = append(out, r)
		}
	}
	return out
}

// autoscalingGroups prices each group's instances at its minimum, desired and maximum capacity, averaged over
// the month with its off-hours schedule; on-demand and Spot as its mixed instances policy splits them (Spot at
// the discount range); the launch template's volumes per instance; and detailed monitoring where it is on.
func (p *pricing) autoscalingGroups(rs []resource) error {
	for _, r := range rs {
		lt := map[string]any{}
		if l := p.inModule("aws_launch_template", r.module); len(l) > 0 {
			lt = l[0].v
		}
		normal := Amount{num(r.v["min_size"]), num(r.v["desired_capacity"]), num(r.v["max_size"])}
		normal.Expected = math.Max(normal.Expected, normal.Low)
		normal.High = math.Max(normal.High, normal.Expected)
		off, share, scheduleNote, err := p.offHours(r, normal)
		if err != nil {
			return err
		}
		g := groupRun{address: r.address, always: normal, odType: str(lt["instance_type"])}
		base, pct := 0.0, 100.0
		if mip := first(r.v["mixed_instances_policy"]); mip != nil {
			dist := first(mip["instances_distribution"])
			base = num(dist["on_demand_base_capacity"])
			if v, ok := dist["on_demand_percentage_above_base_capacity"]; ok && v != nil {
				pct = num(v)
			}
			var types []string
			for _, o := range list(first(mip["launch_template"])["override"]) {
				if typ := str(o["instance_type"]); typ != "" {
					types = append(types, typ)
				}
			}
			if len(types) > 0 {
				g.odType = types[0]
			}
			g.spotType = g.odType
			// Spot is priced at the dearest type the group may launch.
			for _, typ := range types {
				pr, err := p.t.Lookup("ec2_instance", typ)
				if err != nil {
					return fmt.Errorf("%s: %w", r.address, err)
				}
				if pr.USD > g.spotUSD {
					g.spotType, g.spotUSD = typ, pr.USD
				}
			}
		}
		if g.odType == "" {
			return fmt.Errorf("%s: no instance type in its launch template or overrides", r.address)
		}
		odPrice, err := p.t.Lookup("ec2_instance", g.odType)
		if err != nil {
			return fmt.Errorf("%s: %w", r.address, err)
		}
		g.odUSD = odPrice.USD
		split := func(n float64) (float64, float64) {
			b := math.Min(base, n)
			od := b + math.Ceil((n-b)*pct/100)
			return od, n - od
		}
		var od, spot Amount
		for i, n := range [3][2]float64{{normal.Low, off.Low}, {normal.Expected, off.Expected}, {normal.High, off.High}} {
			onN, spotN := split(n[0])
			onOff, spotOff := split(n[1])
			set(&od, i, onN*(1-share)+onOff*share)
			set(&spot, i, spotN*(1-share)+spotOff*share)
		}
		g.actual = od.plus(spot)
		for i := 0; i < 3; i++ {
			if a := get(g.actual, i); a > 0 {
				set(&g.spotShare, i, get(spot, i)/a)
			}
		}
		if !od.IsZero() {
			if err := p.add(r, g.odType+" on-demand instances", "ec2_instance", g.odType, od, flat(1), scheduleNote); err != nil {
				return err
			}
		}
		if !spot.IsZero() {
			// low: the deepest discount; high: the shallowest
			factor := Amount{1 - p.spot.High, 1 - p.spot.Mid(), 1 - p.spot.Low}
			note := fmt.Sprintf("Spot at %.0f-%.0f %% off the on-demand %s/h of %s, the dearest type it may launch",
				p.spot.Low*100, p.spot.High*100, trimUSD(g.spotUSD), g.spotType)
			if od.IsZero() && scheduleNote != "" {
				note = scheduleNote + "; " + note
			}
			if err := p.add(r, g.spotType+" Spot instances", "ec2_instance", g.spotType, spot, factor, note); err != nil {
				return err
			}
		}
		other := false
		for _, m := range list(lt["block_device_mappings"]) {
			ebs := first(m["ebs"])
			g.volumeGB += num(ebs["volume_size"])
			if vt := str(ebs["volume_type"]); vt != "" && vt != "gp3" {
				other = true
			}
		}
		note := fmt.Sprintf("%g GB per instance", g.volumeGB)
		if other {
			note += " (priced as gp3)"
		}
		if err := p.add(r, "gp3 volumes", "ebs_gp3", "", g.actual.scale(g.volumeGB), flat(1), note); err != nil {
			return err
		}
		if enabled, _ := first(lt["monitoring"])["enabled"].(bool); enabled {
			if err := p.add(r, "detailed monitoring", "ec2_detailed_monitoring", "", g.actual, flat(1), "per instance"); err != nil {
				return err
			}
		}
		p.instances = p.instances.plus(g.actual)
		p.ondemand = append(p.ondemand, g)
	}
	return nil
}

// offHours finds the group's off-hours schedule (two scheduled actions in its module: the one with the smaller
// desired capacity scales down) and returns its capacity, the share of the month it holds, and a note.
func (p *pricing) offHours(group resource, normal Amount) (Amount, float64, string, error) {
	sched := p.inModule("aws_autoscaling_schedule", group.module)
	if p.alwaysOn {
		return normal, 0, "", nil
	}
	if len(sched) == 0 {
		return normal, 0, "always on: no off-hours schedule", nil
	}
	if len(sched) != 2 {
		return Amount{}, 0, "", fmt.Errorf("%s: %d scheduled actions in %s; cost models one scale-down and one scale-up", group.address, len(sched), group.module)
	}
	down, up := sched[0], sched[1]
	if num(up.v["desired_capacity"]) < num(down.v["desired_capacity"]) {
		down, up = up, down
	}
	share, err := offHoursShare(str(down.v["recurrence"]), str(up.v["recurrence"]))
	if err != nil {
		return Amount{}, 0, "", fmt.Errorf("%s: %w", down.address, err)
	}
	off := Amount{num(down.v["min_size"]), num(down.v["desired_capacity"]), num(down.v["max_size"])}
	note := fmt.Sprintf("off hours %.0f %% of the week (%s to %s %s): %g-%g instances", share*100,
		str(down.v["recurrence"]), str(up.v["recurrence"]), str(down.v["time_zone"]), off.Low, off.High)
	return off, share, note, nil
}

func set(a *Amount, i int, v float64) {
	switch i {
	case 0:
		a.Low = v
	case 1:
		a.Expected = v
	default:
		a.High = v
	}
}

func get(a Amount, i int) float64 {
	switch i {
	case 0:
		return a.Low
	case 1:
		return a.Expected
	}
	return a.High
}

func (p *pricing) natGateways(rs []resource) error {
	p.nat = natRun{gateways: len(rs), azs: p.azs}
	for _, r := range rs {
		if err := p.add(r, "NAT gateway", "nat_gateway", "", flat(1), flat(1), ""); err != nil {
			return err
		}
		gb := p.u.NATDataGB / float64(len(rs))
		if err := p.add(r, "NAT data processed", "nat_data", "", flat(gb), flat(1), fmt.Sprintf("nat_data_gb %g split among %d gateway(s)", p.u.NATDataGB, len(rs))); err != nil {
			return err
		}
	}
	return nil
}

func (p *pricing) elasticIPs(rs []resource) error {
	for _, r := range rs {
		if err := p.add(r, "public IPv4 address", "public_ipv4", "", flat(1), flat(1), ""); err != nil {
			return err
		}
	}
	return nil
}

// loadBalancers prices each application load balancer, its capacity units from the usage, and, when
// internet-facing, a public address per zone.
func (p *pricing) loadBalancers(rs []resource) error {
	for _, r := range rs {
		if t := str(r.v["load_balancer_type"]); t != "" && t != "application" {
			return fmt.Errorf("%s: %s load balancers are not in %s", r.address, t, price.File)
		}
		if err := p.add(r, "application load balancer", "alb", "", flat(1), flat(1), ""); err != nil {
			return err
		}
		// An LCU is 1 GB processed an hour (EC2 targets) or 25 new connections a second; the larger dimension is
		// billed. Averaged over the month.
		lcu := math.Max(p.u.ALBDataGB, p.u.RequestsMillion*1e6/(25*3600))
		if err := p.add(r, "load balancer capacity units", "alb_lcu", "", flat(lcu), flat(1),
			fmt.Sprintf("the larger of alb_data_gb %g (1 GB per LCU-hour) and requests_million %g (25 new connections a second per LCU)", p.u.ALBDataGB, p.u.RequestsMillion)); err != nil {
			return err
		}
		if internal, _ := r.v["internal"].(bool); !internal {
			if err := p.add(r, "public IPv4 addresses (nodes)", "public_ipv4", "", flat(p.zoneCount(r.v["subnets"])), flat(1), "one per zone "+p.azNote); err != nil {
				return err
			}
		}
	}
	return nil
}

// endpoints prices interface endpoints per zone, and their share of the data; gateway endpoints are free.
func (p *pricing) endpoints(rs []resource) error {
	var iface []resource
	for _, r := range rs {
		if str(r.v["vpc_endpoint_type"]) == "Interface" {
			iface = append(iface, r)
		} else {
			p.exempt(r, "gateway endpoints are free")
		}
	}
	for _, r := range iface {
		svc := str(r.v["service_name"])
		svc = svc[strings.LastIndex(svc, ".")+1:]
		zones := p.zoneCount(r.v["subnet_ids"])
		if err := p.add(r, "interface endpoint "+svc, "interface_endpoint", "", flat(zones), flat(1), fmt.Sprintf("%g zone(s) %s", zones, p.azNote)); err != nil {
			return err
		}
		gb := p.u.EndpointDataGB / float64(len(iface))
		if err := p.add(r, "endpoint data processed", "endpoint_data", "", flat(gb), flat(1), fmt.Sprintf("endpoint_data_gb %g split among %d endpoints", p.u.EndpointDataGB, len(iface))); err != nil {
			return err
		}
	}
	return nil
}

// zoneCount is the number of subnets in a planned list, or, where the plan does not know them yet, the number
// of availability zones.
func (p *pricing) zoneCount(v any) float64 {
	if l, ok := v.([]any); ok && len(l) > 0 {
		return float64(len(l))
	}
	return float64(p.azs)
}

// databases prices each RDS instance (and replica) by engine and class, Multi-AZ by the table's factor, its
// storage, its automated backups beyond the free allowance, and the secret of an RDS-managed master password.
func (p *pricing) databases(rs []resource) error {
	for _, r := range rs {
		engine := str(r.v["engine"])
		if engine == "" {
			engine = "postgres"
		}
		if strings.HasPrefix(engine, "aurora") {
			return fmt.Errorf("%s: engine %s is not in %s", r.address, engine, price.File)
		}
		if st := str(r.v["storage_type"]); st != "" && st != "gp2" && st != "gp3" {
			return fmt.Errorf("%s: storage type %s is not in %s (gp2 and gp3 are)", r.address, st, price.File)
		}
		class := str(r.v["instance_class"])
		factor, az := 1.0, "single-AZ"
		if multi, _ := r.v["multi_az"].(bool); multi {
			factor, az = p.t.MultiAZFactor, "Multi-AZ"
		}
		replica := str(r.v["replicate_source_db"]) != ""
		role := "database"
		if replica {
			role = "read replica"
		}
		if err := p.add(r, fmt.Sprintf("%s %s %s (%s)", role, engine, class, az), "rds_"+engine, class, flat(factor), flat(1), ""); err != nil {
			return err
		}
		allocated := num(r.v["allocated_storage"])
		if err := p.add(r, fmt.Sprintf("%s storage (%s)", role, az), "rds_storage", "", flat(allocated*factor), flat(1), fmt.Sprintf("%g GB", allocated)); err != nil {
			return err
		}
		if replica {
			continue
		}
		// Automated backups: a full copy and the daily changes over the retention period; storage up to the
		// provisioned size is free.
		days := num(r.v["backup_retention_period"])
		stored := p.incremental(p.u.DatabaseDataGB, 1, days)
		extra := math.Max(0, stored-allocated)
		if err := p.add(r, "automated backups beyond the free allowance", "rds_backup_storage", "", flat(extra), flat(1),
			fmt.Sprintf("%.1f GB kept over %g days, %g GB free", stored, days, allocated)); err != nil {
			return err
		}
		if managed, _ := r.v["manage_master_user_password"].(bool); managed {
			if err := p.add(r, "master password secret", "secret", "", flat(1), flat(1), "RDS-managed, in Secrets Manager"); err != nil {
				return err
			}
		}
	}
	return nil
}

// incremental is what copies of data taken every interval days and kept for keep days occupy: one full copy and
// the data changed between the others (at daily_change_percent a day, at most all of it).
func (p *pricing) incremental(data, interval, keep float64) float64 {
	if data == 0 || keep <= 0 {
		return 0
	}
	copies := math.Max(1, math.Floor(keep/interval))
	changed := math.Min(1, p.u.DailyChangePercent/100*interval)
	return data * (1 + changed*(copies-1))
}

func (p *pricing) webACLs(rs []resource) error {
	for _, r := range rs {
		if err := p.add(r, "web ACL", "waf_web_acl", "", flat(1), flat(1), ""); err != nil {
			return err
		}
		rules := float64(len(list(r.v["rule"])))
		if err := p.add(r, "rules and rule groups", "waf_rule", "", flat(rules), flat(1), ""); err != nil {
			return err
		}
		if err := p.add(r, "requests inspected", "waf_requests", "", flat(p.u.RequestsMillion), flat(1), "requests_million"); err != nil {
			return err
		}
	}
	return nil
}

func (p *pricing) distributions(rs []resource) error {
	for _, r := range rs {
		if err := p.add(r, "distribution", "cloudfront_distribution", "", flat(1), flat(1), "no fixed charge"); err != nil {
			return err
		}
		if err := p.add(r, "data to viewers", "cloudfront_data", "", flat(p.u.CloudFrontDataGB), flat(1), "cloudfront_data_gb"); err != nil {
			return err
		}
		if err := p.add(r, "HTTPS requests", "cloudfront_requests", "", flat(p.u.RequestsMillion*100), flat(1), "requests_million, per 10,000"); err != nil {
			return err
		}
	}
	return nil
}

func (p *pricing) zones(rs []resource) error {
	for _, r := range rs {
		if err := p.add(r, "hosted zone", "route53_zone", "", flat(1), flat(1), p.t.Items["route53_zone"].Note); err != nil {
			return err
		}
		if err := p.add(r, "DNS queries", "route53_queries", "", flat(p.u.DNSQueriesMillion), flat(1), "dns_queries_million"); err != nil {
			return err
		}
	}
	return nil
}

// alarms prices each metric alarm per metric it reads (metric math alarms: each metric of the expression), at
// high resolution when its period is under a minute.
func (p *pricing) alarms(rs []resource) error {
	for _, r := range rs {
		metrics, period := 1.0, num(r.v["period"])
		if q := list(r.v["metric_query"]); len(q) > 0 {
			metrics = 0
			for _, m := range q {
				if mm := first(m["metric"]); mm != nil {
					metrics++
					period = num(mm["period"])
				}
			}
		}
		item, what := "cloudwatch_alarm", "alarm"
		if period > 0 && period < 60 {
			item, what = "cloudwatch_alarm_high_resolution", "high-resolution alarm"
		}
		note := ""
		if metrics != 1 {
			note = fmt.Sprintf("%g metrics", metrics)
		}
		if err := p.add(r, what, item, "", flat(metrics), flat(1), note); err != nil {
			return err
		}
	}
	return nil
}

// logGroups prices each log group's share of the ingestion and what it keeps: a day's logs times the days it
// retains them (a group that never expires is shown with a year of logs, and grows).
func (p *pricing) logGroups(rs []resource) error {
	perDay := p.u.LogGBPerDay / float64(len(rs))
	for _, r := range rs {
		note := fmt.Sprintf("log_gb_per_day %g split among %d log groups", p.u.LogGBPerDay, len(rs))
		if err := p.add(r, "log ingestion", "logs_ingestion", "", flat(perDay*p.daysPerMonth()), flat(1), note); err != nil {
			return err
		}
		days := num(r.v["retention_in_days"])
		keep := fmt.Sprintf("kept %g days", days)
		if days == 0 {
			days, keep = 365, "never expires: a year of logs shown, and it grows"
		}
		if err := p.add(r, "log storage", "logs_storage", "", flat(perDay*days), flat(1), keep); err != nil {
			return err
		}
		p.logsKept = append(p.logsKept, keptLogs{perDay: perDay, days: days})
	}
	return nil
}

// buckets prices what each log bucket holds in steady state: access_log_gb_per_month written, moved to
// Standard-IA and Glacier and expired by its lifecycle rule (a bucket without one is shown with a year of logs).
func (p *pricing) buckets(rs []resource) error {
	for _, r := range rs {
		lc := lifecycleOf(p, r)
		perDay := p.u.AccessLogGBPerMonth / p.daysPerMonth()
		ia, glacier, expire := math.Inf(1), math.Inf(1), 365.0
		note := "no lifecycle rule: a year of logs shown, and it grows"
		if lc != nil {
			for _, t := range list(lc["transition"]) {
				switch str(t["storage_class"]) {
				case "STANDARD_IA":
					ia = num(t["days"])
				case "GLACIER":
					glacier = num(t["days"])
				}
			}
			if e := first(lc["expiration"]); e != nil && num(e["days"]) > 0 {
				expire = num(e["days"])
			}
			note = fmt.Sprintf("Standard-IA after %g days, Glacier after %g, expired after %g", ia, glacier, expire)
		}
		standardDays := math.Min(ia, expire)
		iaDays := math.Max(0, math.Min(glacier, expire)-standardDays)
		glacierDays := math.Max(0, expire-math.Min(glacier, expire))
		for _, c := range []struct {
			what, item string
			days       float64
		}{{"log storage, Standard", "s3_standard", standardDays}, {"log storage, Standard-IA", "s3_standard_ia", iaDays}, {"log storage, Glacier", "s3_glacier", glacierDays}} {
			if c.days == 0 && c.item != "s3_standard" {
				continue
			}
			if err := p.add(r, c.what, c.item, "", flat(perDay*c.days), flat(1), note); err != nil {
				return err
			}
			note = ""
			pr, _ := p.t.Lookup(c.item, "")
			standard, _ := p.t.Lookup("s3_standard", "")
			p.lifecycleSaved += perDay * c.days * (standard.USD - pr.USD) * p.hours / p.t.HoursPerMonth
		}
	}
	return nil
}

// lifecycleOf is the enabled rule of the lifecycle configuration that goes with bucket r (the resource of the
// same name and key in the same module), or nil.
func lifecycleOf(p *pricing, r resource) map[string]any {
	want := strings.Replace(r.address, "aws_s3_bucket.", "aws_s3_bucket_lifecycle_configuration.", 1)
	for _, l := range p.byType["aws_s3_bucket_lifecycle_configuration"] {
		if l.address == want {
			for _, rule := range list(l.v["rule"]) {
				if str(rule["status"]) == "Enabled" {
					return rule
				}
			}
		}
	}
	return nil
}

// backupPlans prices the recovery points each rule keeps of the databases the plan's selection backs up, and
// their copies in the disaster-recovery region with the transfer there.
func (p *pricing) backupPlans(rs []resource) error {
	dbs := 0.0
	for _, d := range p.byType["aws_db_instance"] {
		if str(d.v["replicate_source_db"]) == "" {
			dbs++
		}
	}
	for _, r := range rs {
		if len(p.inModule("aws_backup_selection", r.module)) == 0 {
			p.exempt(r, "its plan selects no resources")
			continue
		}
		data := p.u.DatabaseDataGB * dbs
		priced := false
		for _, rule := range list(r.v["rule"]) {
			interval, err := backupInterval(str(rule["schedule"]))
			if err != nil {
				return fmt.Errorf("%s rule %s: %w", r.address, str(rule["rule_name"]), err)
			}
			keep := num(first(rule["lifecycle"])["delete_after"])
			name := str(rule["rule_name"])
			stored := p.incremental(data, interval, keep)
			note := fmt.Sprintf("database_data_gb %g x %g database(s), every %g day(s), kept %g days", p.u.DatabaseDataGB, dbs, interval, keep)
			if err := p.add(r, name+" recovery points", "backup_rds", "", flat(stored), flat(1), note); err != nil {
				return err
			}
			p.saveRetention("backup_rds", data, interval, keep, flat(1))
			priced = true
			for _, c := range list(rule["copy_action"]) {
				copyKeep := num(first(c["lifecycle"])["delete_after"])
				p.saveRetention("backup_rds", data, interval, copyKeep, flat(1))
				if err := p.add(r, name+" copies in the DR region", "backup_rds", "", flat(p.incremental(data, interval, copyKeep)), flat(1), fmt.Sprintf("kept %g days", copyKeep)); err != nil {
					return err
				}
				moved := data * math.Min(1, p.u.DailyChangePercent/100*interval) * p.daysPerMonth() / interval
				if err := p.add(r, name+" copy transfer", "inter_region_transfer", "", flat(moved), flat(1), "the changed data of each copy (the first full copy not counted)"); err != nil {
					return err
				}
			}
		}
		if !priced {
			p.exempt(r, "its plan has no rules")
		}
	}
	return nil
}

// backupInterval is how many days apart an AWS Backup schedule, cron(minutes hours day-of-month month
// day-of-week year), takes recovery points: a named day of the month is monthly, a day of the week weekly,
// else daily.
func backupInterval(schedule string) (float64, error) {
	expr := strings.TrimSuffix(strings.TrimPrefix(schedule, "cron("), ")")
	f := strings.Fields(expr)
	if len(f) != 6 || !strings.HasPrefix(schedule, "cron(") {
		return 0, fmt.Errorf("schedule %q is not cron(minutes hours day-of-month month day-of-week year)", schedule)
	}
	switch {
	case f[2] != "*" && f[2] != "?":
		return 730.0 / 24, nil
	case f[4] != "*" && f[4] != "?":
		return 7, nil
	}
	return 1, nil
}

// snapshotPolicies prices the EBS snapshots each Data Lifecycle Manager schedule keeps of the instances'
// volumes (volume_data_gb each, as many as the groups run), and their cross-region copies.
func (p *pricing) snapshotPolicies(rs []resource) error {
	for _, r := range rs {
		priced := false
		for _, pd := range list(r.v["policy_details"]) {
			for _, s := range list(pd["schedule"]) {
				interval := num(first(s["create_rule"])["interval"]) / 24
				if interval <= 0 {
					interval = 1
				}
				keep := retainDays(first(s["retain_rule"]), interval)
				stored := p.incremental(p.u.VolumeDataGB, interval, keep)
				note := fmt.Sprintf("volume_data_gb %g per instance, every %g day(s), kept %g days", p.u.VolumeDataGB, interval, keep)
				if err := p.add(r, str(s["name"])+" snapshots", "ebs_snapshot", "", p.instances.scale(stored), flat(1), note); err != nil {
					return err
				}
				p.saveRetention("ebs_snapshot", p.u.VolumeDataGB, interval, keep, p.instances)
				priced = true
				for _, c := range list(s["cross_region_copy_rule"]) {
					copyKeep := retainDays(first(c["retain_rule"]), interval)
					p.saveRetention("ebs_snapshot", p.u.VolumeDataGB, interval, copyKeep, p.instances)
					if err := p.add(r, str(s["name"])+" snapshot copies in "+str(c["target"]), "ebs_snapshot", "", p.instances.scale(p.incremental(p.u.VolumeDataGB, interval, copyKeep)), flat(1), fmt.Sprintf("kept %g days", copyKeep)); err != nil {
						return err
					}
					moved := p.u.VolumeDataGB * math.Min(1, p.u.DailyChangePercent/100*interval) * p.daysPerMonth() / interval
					if err := p.add(r, str(s["name"])+" snapshot copy transfer", "inter_region_transfer", "", p.instances.scale(moved), flat(1), "the changed data of each copy"); err != nil {
						return err
					}
				}
			}
		}
		if !priced {
			p.exempt(r, "its policy has no snapshot schedules")
		}
	}
	return nil
}

// retainDays is how long a DLM retain rule keeps snapshots taken every interval days: count snapshots, or an
// interval in days, weeks, months or years.
func retainDays(rule map[string]any, interval float64) float64 {
	if n := num(rule["count"]); n > 0 {
		return n * interval
	}
	n := num(rule["interval"])
	switch str(rule["interval_unit"]) {
	case "WEEKS":
		n *= 7
	case "MONTHS":
		n *= 730.0 / 24
	case "YEARS":
		n *= 365
	}
	return n
}

func trimUSD(v float64) string {
	return strings.TrimSuffix(price.Price{USD: v, Unit: price.Hour}.String(), "/h")
}

// backupReplications: the database's automated backups replicated to the DR region are billed there in full (no
// free allowance outside the database's own region), and each day's changes cross regions.
func (p *pricing) backupReplications(rs []resource) error {
	for _, r := range rs {
		days := num(r.v["retention_period"])
		stored := p.incremental(p.u.DatabaseDataGB, 1, days)
		if err := p.add(r, "replicated automated backups in the DR region", "rds_backup_storage", "", flat(stored), flat(1),
			fmt.Sprintf("database_data_gb %g, kept %g days", p.u.DatabaseDataGB, days)); err != nil {
			return err
		}
		moved := p.u.DatabaseDataGB * math.Min(1, p.u.DailyChangePercent/100) * p.daysPerMonth()
		if err := p.add(r, "replication transfer", "inter_region_transfer", "", flat(moved), flat(1), "the data changed each day (the first full copy not counted)"); err != nil {
			return err
		}
	}
	return nil
}
