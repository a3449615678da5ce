return await DeviceFabric.Cli.CliApp.RunAsync(args).ConfigureAwait(false);
