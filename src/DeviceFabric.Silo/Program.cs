using DeviceFabric.Silo.Hosting;

await DeviceFabricApp.Create(args).RunAsync();
