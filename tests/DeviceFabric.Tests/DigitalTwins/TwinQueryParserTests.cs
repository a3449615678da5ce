using DeviceFabric.DigitalTwins;
using DeviceFabric.Query;

namespace DeviceFabric.Tests.DigitalTwins;

/// <summary>Azure Digital Twins' query language as parsed: what it takes and what it refuses, with the reason.</summary>
public sealed class TwinQueryParserTests
{
    [Fact]
    public void AMatch_ParsesItsTwinsRelationshipsDirectionsAndHops()
    {
        var query = QueryParser.ParseTwinQuery("SELECT a, c FROM DIGITALTWINS MATCH (a)-[r:contains|isIn]->(b)<-[*1..3]-(c)-[:feeds*2]-(d) WHERE a.$dtId = 'x'");
        var match = query.Match!;
        Assert.Equal(["a", "b", "c", "d"], match.Nodes);
        Assert.Equal(new TwinEdge("r", ["contains", "isIn"], TwinEdgeDirection.Out, 1, 1), match.Edges[0] with { Names = ["contains", "isIn"] }, new EdgeComparer());
        Assert.Equal((TwinEdgeDirection.In, 2, 3), (match.Edges[1].Direction, match.Edges[1].MinHops, match.Edges[1].MaxHops));
        Assert.Equal((TwinEdgeDirection.Both, 2, 2), (match.Edges[2].Direction, match.Edges[2].MinHops, match.Edges[2].MaxHops));
    }

    [Theory]
    [InlineData("SELECT * FROM DIGITALTWINS T JOIN C RELATED T.contains WHERE T.$dtId = 'x'", "SELECT *")]
    [InlineData("SELECT C FROM DIGITALTWINS T JOIN C RELATED X.contains WHERE T.$dtId = 'x'", "no twin before it")]
    [InlineData("SELECT C FROM DIGITALTWINS T JOIN T RELATED T.contains WHERE T.$dtId = 'x'", "names two things")]
    [InlineData("SELECT * FROM DIGITALTWINS MATCH (a)-[]->(b) WHERE a.$dtId = 'x'", "SELECT *")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[r*2]->(b) WHERE a.$dtId = 'x'", "single hop")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)-[*0]->(b) WHERE a.$dtId = 'x'", "hops are 1 to 10")]
    [InlineData("SELECT b FROM DIGITALTWINS MATCH (a)<-[]->(b) WHERE a.$dtId = 'x'", "one way")]
    [InlineData("SELECT TOP(0) * FROM DIGITALTWINS", "TOP")]
    [InlineData("SELECT * FROM DEVICES", "DIGITALTWINS")]
    public void AMalformedQuery_IsRefused_NamingTheCause(string query, string cause)
    {
        var refused = Assert.Throws<DeviceFabricException>(() => QueryParser.ParseTwinQuery(query));
        Assert.Equal(DeviceFabricErrorCode.ArgumentInvalid, refused.Code);
        Assert.Contains(cause, refused.Message, StringComparison.Ordinal);
    }

    private sealed class EdgeComparer : IEqualityComparer<TwinEdge>
    {
        public bool Equals(TwinEdge? x, TwinEdge? y) =>
            x is not null && y is not null && x.Variable == y.Variable && x.Names.SequenceEqual(y.Names) && x.Direction == y.Direction && x.MinHops == y.MinHops && x.MaxHops == y.MaxHops;

        public int GetHashCode(TwinEdge obj) => obj.Variable?.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
