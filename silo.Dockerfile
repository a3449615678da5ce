# The one DeviceFabric image: a silo with the HTTPS REST API (and, later, the MQTT front end).
# Build from the repository root:  docker build -f silo.Dockerfile -t devicefabric .
# Single node:  docker run -p 8443:8443 -v devicefabric-data:/app/data devicefabric
# Cluster:      set DeviceFabric__Storage__Mode=PostgreSql, DeviceFabric__Storage__ConnectionString=...,
#               DeviceFabric__Storage__AdvertisedAddress=<pod or host IP> on every silo.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore in its own layer: it changes only when a project or package version changes.
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props .editorconfig ./
COPY src/DeviceFabric.Abstractions/DeviceFabric.Abstractions.csproj src/DeviceFabric.Abstractions/
COPY src/DeviceFabric.Contracts/DeviceFabric.Contracts.csproj src/DeviceFabric.Contracts/
COPY src/DeviceFabric.Grains/DeviceFabric.Grains.csproj src/DeviceFabric.Grains/
COPY src/DeviceFabric.Api/DeviceFabric.Api.csproj src/DeviceFabric.Api/
COPY src/DeviceFabric.Mqtt/DeviceFabric.Mqtt.csproj src/DeviceFabric.Mqtt/
COPY src/DeviceFabric.Silo/DeviceFabric.Silo.csproj src/DeviceFabric.Silo/
RUN dotnet restore src/DeviceFabric.Silo/DeviceFabric.Silo.csproj
COPY appsettings.json ./
COPY src/ src/
RUN dotnet publish src/DeviceFabric.Silo/DeviceFabric.Silo.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY appsettings.json ./
# The data directory (SQLite file, development CA, owner connection string) belongs to the unprivileged app user.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
ENV DeviceFabric__Node__DataDirectory=/app/data
VOLUME ["/app/data"]
# 8443 HTTPS API; 8883 MQTT over TLS (with the MQTT front end); 11111 silo-to-silo; 30000 grain-client gateway.
EXPOSE 8443 8444 8883 11111 30000
ENTRYPOINT ["dotnet", "DeviceFabric.Silo.dll"]
