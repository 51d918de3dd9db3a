package dr

import "time"

// A figure is a duration the model uses and where it comes from: AWS documentation, or an estimate that says so.
type figure struct {
	d      time.Duration
	source string
}

// The figures. docs/dr.md quotes them with the same sources; TestFiguresAreSourced keeps each one sourced.
var (
	// Declaring a disaster: an alarm pages, someone confirms the disruption and starts the runbook.
	declare = figure{30 * time.Minute, "estimate: 30 min from the first alarm to starting the runbook (docs/runbooks)"}
	// Multi-AZ failover.
	failover = figure{2 * time.Minute, "RDS User Guide, Multi-AZ DB instance deployments: failovers typically complete within 60-120 seconds (Concepts.MultiAZSingleStandby)"}
	// Transaction logs reach S3 every 5 minutes: the latest restorable time is at most that old.
	logUpload = figure{5 * time.Minute, "RDS User Guide, point-in-time recovery: transaction logs are uploaded to S3 every 5 minutes, the latest restorable time is typically within the last 5 minutes (USER_PIT)"}
	// Replicated transaction logs follow the primary's by the copy to the DR region.
	logCopy = figure{10 * time.Minute, "estimate: 10 min for a 5-minute log to be copied to the DR region; RDS starts the copy as soon as it is ready (USER_ReplicateBackups)"}
	// A point-in-time restore replays the transaction logs since the snapshot it starts from.
	logReplay = figure{15 * time.Minute, "estimate: 15 min replaying up to a day of transaction logs on top of the restored snapshot (RDS does not publish a rate)"}
	// Restored volumes load their blocks from S3 lazily: the instance is usable when created.
	volumeRestore = figure{5 * time.Minute, "EC2 User Guide, restoring an EBS volume from a snapshot: the volume is available at once, blocks load lazily from S3 (ebs-restoring-volume); estimate 5 min to create and attach it"}
	// An EC2 instance boots and starts the application.
	boot = figure{3 * time.Minute, "estimate: 3 min from RunInstances to the application answering (boot, user data)"}
	// A DLM or AWS Backup copy reaching the DR region.
	snapshotCopy = figure{2 * time.Hour, "estimate: 2 h for an incremental snapshot copy to another region (EC2 User Guide: copies take longer across regions and for the first full copy)"}
	// DLM starts a scheduled snapshot within an hour of its time.
	dlmStart = figure{time.Hour, "DLM User Guide: snapshot creation starts within one hour of the specified start time (snapshot-ami-policy)"}
)
