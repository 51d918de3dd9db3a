package emulator

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// AutoScalingServiceLinkedRole is the role EC2 Auto Scaling creates in an account the first time it is used; the
// stack's key policies name it, and its plan refuses an account without it.
const AutoScalingServiceLinkedRole = "AWSServiceRoleForAutoScaling"

// PrepareAccount makes the emulator's account what an AWS account holds before ec2stack's first plan: the state
// bucket, and the Auto Scaling service-linked role that any account which has run Auto Scaling has (a new AWS
// account gets it with `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`).
func (s *Server) PrepareAccount(ctx context.Context, region string) error {
	if err := s.EnsureStateBucket(ctx, StateBucket, region); err != nil {
		return err
	}
	return s.EnsureServiceLinkedRole(ctx, region)
}

// EnsureServiceLinkedRole creates the Auto Scaling service-linked role inside the emulator unless it exists.
func (s *Server) EnsureServiceLinkedRole(ctx context.Context, region string) error {
	cfg, err := s.AWSConfig(ctx, region)
	if err != nil {
		return err
	}
	client := iam.NewFromConfig(cfg)
	_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(AutoScalingServiceLinkedRole)})
	var missing *iamtypes.NoSuchEntityException
	if err == nil || !errors.As(err, &missing) {
		return err
	}
	if _, err := client.CreateServiceLinkedRole(ctx, &iam.CreateServiceLinkedRoleInput{
		AWSServiceName: aws.String("autoscaling.amazonaws.com"),
	}); err != nil {
		return fmt.Errorf("creating %s in emulator: %w", AutoScalingServiceLinkedRole, err)
	}
	return nil
}

// DeleteServiceLinkedRole removes the Auto Scaling service-linked role, as in a new AWS account (for tests of the
// refusal).
func (s *Server) DeleteServiceLinkedRole(ctx context.Context, region string) error {
	cfg, err := s.AWSConfig(ctx, region)
	if err != nil {
		return err
	}
	_, err = iam.NewFromConfig(cfg).DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(AutoScalingServiceLinkedRole)})
	return err
}
