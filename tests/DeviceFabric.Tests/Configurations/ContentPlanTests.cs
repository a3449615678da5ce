using System.Text.Json.Nodes;
using DeviceFabric.Configurations;

namespace DeviceFabric.Tests.Configurations;

/// <summary>IoT Hub's rules for what configurations write into a twin: priority per path, ties, fallback and removal.</summary>
public sealed class ContentPlanTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ContentCandidate Candidate(string id, int priority, int minute, params (string Key, string Json)[] paths) =>
        new(id, priority, s_t0.AddMinutes(minute), [.. paths.Select(p => ContentPath.Parse(p.Key, JsonNode.Parse(p.Json), allowTags: true)!)]);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void HigherPriority_WinsThePath_AndTheLoserIsTargeted()
    {
        var plan = ContentPlan.Compute(Obj("{}"), Obj("{}"), new Dictionary<string, string>(), [
            Candidate("low", 1, 0, ("properties.desired.settings", """{"interval":10}""")),
            Candidate("high", 5, 0, ("properties.desired.settings", """{"interval":1}""")),
        ]);
        Assert.Equal("""{"settings":{"interval":1}}""", plan.DesiredPatch!.ToJsonString());
        Assert.Equal("high", plan.Owners["properties.desired.settings"]);
        Assert.Equal(ContentPlan.Applied, plan.Statuses["high"]);
        Assert.Equal(ContentPlan.Targeted, plan.Statuses["low"]);
    }

    [Fact]
    public void EqualPriority_GoesToTheNewest()
    {
        var plan = ContentPlan.Compute(Obj("{}"), Obj("{}"), new Dictionary<string, string>(), [
            Candidate("newer", 1, 5, ("properties.desired.a", "2")),
            Candidate("older", 1, 0, ("properties.desired.a", "1")),
        ]);
        Assert.Equal(2, plan.DesiredPatch!["a"]!.GetValue<int>());
        Assert.Equal("newer", plan.Owners["properties.desired.a"]);
    }

    [Fact]
    public void APathNoLongerOffered_IsRemoved_ButOneAnotherOffers_FallsBackToIt()
    {
        var owners = new Dictionary<string, string> { ["properties.desired.a"] = "gone", ["properties.desired.b"] = "gone" };
        var plan = ContentPlan.Compute(Obj("{}"), Obj("""{"a":1,"b":2,"mine":3}"""), owners, [Candidate("next", 0, 0, ("properties.desired.b", "20"))]);
        Assert.Equal("""{"b":20,"a":null}""", plan.DesiredPatch!.ToJsonString());
        Assert.Equal(["properties.desired.b"], plan.Owners.Keys);
    }

    [Fact]
    public void NothingToChange_GivesNoPatches()
    {
        var owners = new Dictionary<string, string> { ["properties.desired.a"] = "c" };
        var plan = ContentPlan.Compute(Obj("""{"t":1}"""), Obj("""{"a":{"x":1}}"""), owners, [Candidate("c", 0, 0, ("properties.desired.a", """{"x":1}"""))]);
        Assert.Null(plan.DesiredPatch);
        Assert.Null(plan.TagsPatch);
    }

    [Fact]
    public void AWholeSection_IsReplaced_AndALayerOverItWinsItsOwnPath()
    {
        var plan = ContentPlan.Compute(Obj("{}"), Obj("""{"old":1}"""), new Dictionary<string, string>(), [
            Candidate("base", 0, 0, ("properties.desired", """{"schemaVersion":"1.1","modules":{"a":{"v":1}}}""")),
            Candidate("layer", 10, 1, ("properties.desired.modules.b", """{"v":2}""")),
        ]);
        Assert.Equal("""{"schemaVersion":"1.1","modules":{"a":{"v":1},"b":{"v":2}},"old":null}""", plan.DesiredPatch!.ToJsonString());
        Assert.Equal(ContentPlan.Applied, plan.Statuses["base"]);
        Assert.Equal(ContentPlan.Applied, plan.Statuses["layer"]);
    }

    [Fact]
    public void TagsPaths_PatchTheTags()
    {
        var plan = ContentPlan.Compute(Obj("""{"env":"prod"}"""), Obj("{}"), new Dictionary<string, string>(), [Candidate("c", 0, 0, ("tags.managed", "true"))]);
        Assert.Equal("""{"managed":true}""", plan.TagsPatch!.ToJsonString());
        Assert.Null(plan.DesiredPatch);
    }

    [Fact]
    public void APathUnderAHigherPrioritySection_IsTargeted_NotApplied()
    {
        var plan = ContentPlan.Compute(Obj("{}"), Obj("{}"), new Dictionary<string, string>(), [
            Candidate("detail", 1, 0, ("properties.desired.a.b", "1")),
            Candidate("whole", 9, 0, ("properties.desired.a", """{"c":2}""")),
        ]);
        Assert.Equal("""{"a":{"c":2}}""", plan.DesiredPatch!.ToJsonString());
        Assert.Equal(ContentPlan.Targeted, plan.Statuses["detail"]);
        Assert.Equal(ContentPlan.Applied, plan.Statuses["whole"]);
    }

    [Theory]
    [InlineData("properties.reported.x")]
    [InlineData("properties.desiredx")]
    [InlineData("properties.desired..x")]
    [InlineData("tagsx")]
    public void KeysOutsideDesiredAndTags_AreNotPaths(string key) =>
        Assert.Null(ContentPath.Parse(key, JsonValue.Create(1), allowTags: true));
}
