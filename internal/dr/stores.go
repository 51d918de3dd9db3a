package dr

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ec2stack/ec2stack/internal/timing"
)

type resource struct {
	address string
	values  map[string]any
}

// stack is what the model reads of a plan.
type stack struct {
	db           *resource // the primary database (not a read replica)
	dbReplicated *resource // aws_db_instance_automated_backups_replication
	backups      []backupRule
	backupRDS    bool // an AWS Backup selection covers RDS
	backupEBS    bool // ... and EBS volumes
	snapshots    []backupRule
	asg          *resource
	targetGroup  *resource
	natGateways  int
	natCreate    time.Duration
}

// backupRule is one schedule of recovery points: every interval, starting within start and done within
// complete; copied to the DR region when copied.
type backupRule struct {
	name     string
	interval time.Duration
	start    time.Duration
	complete time.Duration
	copied   bool
}

// worst is the most data the rule can lose: a full interval since the last recovery point, which may have
// started late and taken its whole window, and its copy when the copy is what is restored.
func (b backupRule) worst(fromCopy bool) time.Duration {
	d := b.interval + b.start + b.complete
	if fromCopy {
		d += snapshotCopy.d
	}
	return d
}

func read(p *tfjson.Plan) stack {
	var s stack
	table, _ := timing.Default()
	for _, rc := range p.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode || rc.Change == nil || rc.Change.Actions.Delete() {
			continue
		}
		v, _ := rc.Change.After.(map[string]any)
		r := &resource{address: rc.Address, values: v}
		switch rc.Type {
		case "aws_db_instance":
			if str(v, "replicate_source_db") == "" && s.db == nil {
				s.db = r
			}
		case "aws_db_instance_automated_backups_replication":
			s.dbReplicated = r
		case "aws_backup_plan":
			for _, rule := range list(v, "rule") {
				s.backups = append(s.backups, backupRule{
					name:     str(rule, "rule_name"),
					interval: cronInterval(str(rule, "schedule")),
					start:    minutes(rule, "start_window", 480),
					complete: minutes(rule, "completion_window", 10080),
					copied:   len(list(rule, "copy_action")) > 0,
				})
			}
		case "aws_backup_selection":
			for _, res := range strings.Fields(fmt.Sprint(v["resources"])) {
				s.backupRDS = s.backupRDS || strings.Contains(res, ":rds:")
				s.backupEBS = s.backupEBS || strings.Contains(res, ":volume/")
			}
		case "aws_dlm_lifecycle_policy":
			for _, pd := range list(v, "policy_details") {
				for _, sch := range list(pd, "schedule") {
					for _, cr := range list(sch, "create_rule") {
						s.snapshots = append(s.snapshots, backupRule{
							name:     "DLM " + str(sch, "name"),
							interval: time.Duration(num(cr, "interval", 24)) * unit(str(cr, "interval_unit")),
							start:    dlmStart.d,
							copied:   len(list(sch, "cross_region_copy_rule")) > 0,
						})
					}
				}
			}
		case "aws_autoscaling_group":
			s.asg = r
		case "aws_lb_target_group":
			s.targetGroup = r
		case "aws_nat_gateway":
			s.natGateways++
			if table != nil {
				if f, err := table.Lookup(rc.Type, v, nil); err == nil {
					s.natCreate = f.Create
				}
			}
		}
	}
	if s.backupEBS {
		s.snapshots = append(s.snapshots, s.backups...)
	}
	return s
}

// appTier: the instances hold nothing, so every disruption is a matter of time.
func (s stack) appTier(rebuild time.Duration, zones int) []Estimate {
	if s.asg == nil {
		return nil
	}
	zero := time.Duration(0)
	desired := num(s.asg.values, "desired_capacity", num(s.asg.values, "min_size", 1))
	detect, detectSrc := s.detection()
	replace := detect + time.Duration(num(s.asg.values, "health_check_grace_period", 300))*time.Second + boot.d
	est := func(d string, rto time.Duration, how string, src ...string) Estimate {
		return Estimate{Disruption: d, Store: AppTier, Address: s.asg.address, RPO: &zero, RTO: rto, Recovery: how, Sources: src, Judged: true}
	}
	var out []Estimate
	if desired >= 2 {
		out = append(out, est(Instance, detect, fmt.Sprintf("%d instances: the load balancer stops sending to the failed one, the Auto Scaling group replaces it", desired), detectSrc))
	} else {
		out = append(out, est(Instance, replace, "one instance: the Auto Scaling group replaces it (health checks, grace period, boot)", detectSrc, boot.source))
	}
	switch {
	case zones >= 2 && desired >= 2 && s.natGateways == 1:
		out = append(out, est(Zone, declare.d+s.natCreate, fmt.Sprintf("instances in %d zones keep serving; egress stops if the zone of the single NAT gateway is lost, until an apply re-creates it", zones), detectSrc, declare.source, "NAT gateway creation: internal/timing/durations.yaml"))
	case zones >= 2 && desired >= 2:
		out = append(out, est(Zone, detect, fmt.Sprintf("instances in %d zones, a NAT gateway per zone: the others keep serving, the group rebalances", zones), detectSrc))
	default:
		out = append(out, est(Zone, replace, "the Auto Scaling group launches replacements in another zone", detectSrc, boot.source))
	}
	out = append(out, est(Region, declare.d+rebuild, "the stack is applied in the DR region from code (rebuild: the critical path of creating every resource, internal/timing)", declare.source, "internal/timing/durations.yaml (docs/timing.md)"))
	return out
}

// detection is how long the load balancer takes to stop sending to a failed instance.
func (s stack) detection() (time.Duration, string) {
	interval, threshold := 30, 2 // the target group defaults
	if s.targetGroup != nil {
		for _, hc := range list(s.targetGroup.values, "health_check") {
			interval, threshold = num(hc, "interval", interval), num(hc, "unhealthy_threshold", threshold)
		}
	}
	return time.Duration(interval*threshold) * time.Second, fmt.Sprintf("ELB: a target is unhealthy after unhealthy_threshold (%d) failed checks every interval (%d s)", threshold, interval)
}

func (s stack) database(create, rebuild time.Duration) []Estimate {
	zero := time.Duration(0)
	multiAZ, _ := s.db.values["multi_az"].(bool)
	retention := num(s.db.values, "backup_retention_period", 0)
	est := func(d string, rpo *time.Duration, rto time.Duration, how string, src ...string) Estimate {
		return Estimate{Disruption: d, Store: Database, Address: s.db.address, RPO: rpo, RTO: rto, Recovery: how, Sources: src, Judged: true}
	}
	restore := declare.d + create + logReplay.d
	restoreSrc := []string{declare.source, "instance creation: internal/timing/durations.yaml", logReplay.source}
	pitr := logUpload.d
	var out []Estimate
	if multiAZ {
		out = append(out,
			est(Instance, &zero, failover.d, "Multi-AZ: synchronous standby, automatic failover", failover.source),
			est(Zone, &zero, failover.d, "Multi-AZ: the standby in another zone takes over", failover.source))
	} else {
		out = append(out, est(Instance, &zero, create, "single-AZ: RDS replaces the host, the storage survives", "estimate: as long as creating the instance (internal/timing/durations.yaml)"))
		if retention > 0 {
			out = append(out, est(Zone, &pitr, restore, "single-AZ: point-in-time restore into another zone", append([]string{logUpload.source}, restoreSrc...)...))
		} else {
			out = append(out, est(Zone, nil, restore, "single-AZ without automated backups: nothing to restore from"))
		}
	}
	regionRTO := declare.d + rebuild + logReplay.d
	regionSrc := []string{declare.source, "rebuild: internal/timing/durations.yaml", logReplay.source}
	switch best, ok := s.bestCopy(s.backupRDS); {
	case s.dbReplicated != nil:
		rpo := logUpload.d + logCopy.d
		out = append(out, est(Region, &rpo, regionRTO, fmt.Sprintf("point-in-time restore in the DR region from the replicated automated backups (kept %d days), stack rebuilt there", num(s.dbReplicated.values, "retention_period", 7)), append([]string{logUpload.source, logCopy.source}, regionSrc...)...))
	case ok:
		rpo := best.worst(true)
		out = append(out, est(Region, &rpo, regionRTO, fmt.Sprintf("restore of the AWS Backup copy in the DR region (rule %s: every %s, window %s + %s, then the copy)", best.name, Format(best.interval), Format(best.start), Format(best.complete)), append([]string{snapshotCopy.source}, regionSrc...)...))
	default:
		out = append(out, est(Region, nil, regionRTO, "no backup of the database leaves the region"))
	}
	if retention > 0 {
		out = append(out, est(Corruption, &pitr, restore, fmt.Sprintf("point-in-time restore to just before the corruption, up to %d days back, into a new instance", retention), append([]string{logUpload.source}, restoreSrc...)...))
	} else {
		out = append(out, est(Corruption, nil, restore, "no automated backups: no point-in-time recovery"))
	}
	return out
}

// bestCopy is the rule with the smallest worst case among those whose recovery points reach the DR region.
func (s stack) bestCopy(covered bool) (backupRule, bool) {
	var best backupRule
	found := false
	if !covered {
		return best, false
	}
	for _, b := range s.backups {
		if b.copied && (!found || b.worst(true) < best.worst(true)) {
			best, found = b, true
		}
	}
	return best, found
}

// volumes: the instances' volumes. Judged only when the contract says the instances hold data of record.
func (s stack) volumes(stateless bool) []Estimate {
	if s.asg == nil {
		return nil
	}
	how := "the volumes are re-created from the AMI with the instances (no snapshot of them)"
	if stateless {
		how += "; the instances hold no data of record (recovery.stateless_instances)"
	}
	est := func(d string, rpo *time.Duration, rto time.Duration, recovery string, src ...string) Estimate {
		if stateless {
			recovery += "; not held to the objectives: the instances hold no data of record (recovery.stateless_instances)"
		}
		return Estimate{Disruption: d, Store: Volumes, Address: s.asg.address, RPO: rpo, RTO: rto, Recovery: recovery, Sources: src, Judged: !stateless}
	}
	restore := declare.d + volumeRestore.d
	var local, copied *backupRule
	for i, b := range s.snapshots {
		if local == nil || b.worst(false) < local.worst(false) {
			local = &s.snapshots[i]
		}
		if b.copied && (copied == nil || b.worst(true) < copied.worst(true)) {
			copied = &s.snapshots[i]
		}
	}
	var out []Estimate
	for _, d := range []string{Zone, Corruption} {
		if local == nil {
			out = append(out, est(d, nil, restore, how))
			continue
		}
		rpo := local.worst(false)
		out = append(out, est(d, &rpo, restore, fmt.Sprintf("restore from the latest snapshot (%s: every %s, starting within %s)", local.name, Format(local.interval), Format(local.start+local.complete)), dlmStart.source, volumeRestore.source, declare.source))
	}
	if copied == nil {
		out = append(out, est(Region, nil, restore, "no snapshot of the volumes leaves the region"))
	} else {
		rpo := copied.worst(true)
		out = append(out, est(Region, &rpo, restore, fmt.Sprintf("restore from the snapshot copied to the DR region (%s)", copied.name), snapshotCopy.source, volumeRestore.source, declare.source))
	}
	return out
}

// cronInterval is how often an AWS cron expression (minutes hours day-of-month month day-of-week year) fires,
// at its most frequent: every N hours, daily, weekly or monthly.
func cronInterval(expr string) time.Duration {
	f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
	if len(f) != 6 {
		return 24 * time.Hour
	}
	hour, dom, dow := f[1], f[2], f[4]
	switch {
	case hour == "*":
		return time.Hour
	case strings.Contains(hour, "/"):
		n, err := strconv.Atoi(strings.SplitN(hour, "/", 2)[1])
		if err == nil && n > 0 {
			return time.Duration(n) * time.Hour
		}
	case strings.Contains(hour, ","):
		return 24 * time.Hour / time.Duration(len(strings.Split(hour, ",")))
	case dom != "*" && dom != "?":
		return 31 * 24 * time.Hour
	case dow != "*" && dow != "?":
		return 7 * 24 * time.Hour / time.Duration(len(strings.Split(dow, ",")))
	}
	return 24 * time.Hour
}

func unit(u string) time.Duration {
	if u == "" || strings.EqualFold(u, "HOURS") {
		return time.Hour
	}
	return 24 * time.Hour
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func num(m map[string]any, k string, def int) int {
	if f, ok := m[k].(float64); ok {
		return int(f)
	}
	return def
}

func minutes(m map[string]any, k string, def int) time.Duration {
	return time.Duration(num(m, k, def)) * time.Minute
}

func list(m map[string]any, k string) []map[string]any {
	raw, _ := m[k].([]any)
	var out []map[string]any
	for _, x := range raw {
		if mm, ok := x.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}
