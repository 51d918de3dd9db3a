package verify

import "github.com/ec2stack/ec2stack/internal/contract"

// EmulatorSkips are the checks of what the emulator switch turns off or moto 5.2.1 cannot answer (it does not
// return these settings); each is proven on the plan instead (TestPlanWithRealSettings, the modules' terraform
// tests), see docs/emulator.md.
var EmulatorSkips = []string{
	"database.performance_insights", "database.monitoring", "database.deletion_protection",
	"alb.deletion_protection", "edge.security_headers", "alerts.on_call",
}

// Expect is what verify checks in an environment: the requirements of its contract, and for the choices the
// contract leaves open (Spot where allowed, the out-of-hours schedule where allowed, basic or detailed
// monitoring where basic is enough, the SSH sources where SSH is restricted) what the root's outputs say it
// asked for. On the emulator target the EmulatorSkips are left out.
func Expect(e contract.Environment, emulator bool) Expectations {
	yes, no := true, false
	w := Expectations{
		Environment:  e.Name,
		VPCCIDR:      e.Network.VPCCIDR,
		AZCount:      e.Network.AvailabilityZones,
		NATMode:      NATSingle,
		InstanceType: e.Compute.InstanceType,
		MinSize:      e.Compute.Instances.Min,
		MaxSize:      e.Compute.Instances.Max,
		AnyDesired:   true,
		Database: &DatabaseExpectations{
			InstanceClass:       e.Database.InstanceClass,
			MultiAZ:             e.Database.MultiAZ,
			DeletionProtection:  e.DeletionProtection,
			BackupRetentionDays: e.Database.MinBackupRetentionDays,
		},
		DeletionProtection:  e.DeletionProtection,
		MinLogRetentionDays: e.Logs.MinRetentionDays,
		Alerts:              true,
		Dashboard:           true,
		AccessLogs:          true,
		OnCall:              e.Alerting == contract.AlertingOnCall,
	}
	if e.Network.NATGateways == contract.NATPerAZ {
		w.NATMode = NATPerAZ
	}
	if e.Compute.Spot == contract.Forbidden {
		w.Spot = &no
	}
	if e.Compute.OffHoursScaleDown == contract.Forbidden {
		w.OffHours = &no
	}
	if e.Compute.Monitoring == contract.MonitoringDetailed {
		w.DetailedMonitoring = &yes
	}
	if e.Access.SSH == contract.SSHNone {
		w.SSHAllowedCIDRs = []string{}
	}
	if e.Backup.Enabled {
		w.BackupRetentionDays = e.Backup.MinRetentionDays
		w.BackupCrossRegionCopy = e.Backup.CrossRegionCopy
	}
	if e.Edge {
		w.Edge = &EdgeExpectations{CloudFront: true, WAF: true, Domain: true}
		w.HTTPSListener = true
	}
	if emulator {
		w.Skip = append(w.Skip, EmulatorSkips...)
	}
	return w
}
