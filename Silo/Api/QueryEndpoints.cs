using Herald.Warehouse;
using Herald.Warehouse.Query;
using Herald.Warehouse.Sink;
using Microsoft.Extensions.Options;

namespace Herald.Silo.Api;

/// <summary><c>GET /api/query?sql=</c>: read-only SQL on the warehouse this silo keeps, behind the bearer token, with row and time limits.</summary>
internal static class QueryEndpoints
{
    public static void Map(RouteGroupBuilder api, BearerToken token)
    {
        api.MapGet("/query", (string? sql, IServiceProvider services, IOptions<WarehouseOptions> options) =>
            {
                if (services.GetService<WarehouseService>()?.OpenQueryConnection() is not { } connection)
                    return Problems.NotFound("this silo keeps no warehouse (Herald:Warehouse:Enabled with a Database), or its sink is starting");
                using (connection)
                {
                    try
                    {
                        var o = options.Value;
                        var result = WarehouseQuery.Run(connection, sql ?? "", o.QueryMaxRows, TimeSpan.FromSeconds(o.QueryTimeoutSeconds));
                        return Results.Ok(new { columns = result.Columns, rows = result.Rows, truncated = result.Truncated });
                    }
                    catch (QueryRefusedException e)
                    {
                        return Problems.BadRequest(e.Message);
                    }
                }
            })
            .AddEndpointFilter(token)
            .WithSummary("Runs one read-only SELECT on the warehouse (DuckDB): {columns, rows, truncated}; Herald:Warehouse:QueryMaxRows and QueryTimeoutSeconds bound it")
            .Produces(200, contentType: "application/json").ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
    }
}
