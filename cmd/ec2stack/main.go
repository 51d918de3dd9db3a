// Command ec2stack plans, applies and destroys the ec2stack environments with
// Terraform, on the moto emulator by default or on real AWS.
package main

import (
	"os"

	"github.com/ec2stack/ec2stack/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
