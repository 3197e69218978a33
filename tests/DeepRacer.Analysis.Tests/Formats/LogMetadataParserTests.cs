using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Tables;

namespace DeepRacer.Analysis.Tests.Formats;

// Expected values come from grep on the sample logs (commands in the comments).
public class LogMetadataParserTests
{
    private static async Task<LogMetadata> Header(string sample, StepTableKind kind)
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample(sample));
        await log.LoadLogsAsync(kind);
        Assert.NotNull(log.LogMetadata);
        return log.LogMetadata;
    }

    private static async Task<LogMetadata> HeaderOfText(string text)
    {
        using var dir = new TempDir();
        using var log = await DeepRacerLog.OpenAsync(dir.Write("job-simulation.log", text));
        await log.LoadLogsAsync(StepTableKind.Training);
        Assert.NotNull(log.LogMetadata);
        return log.LogMetadata;
    }

    [Fact]
    public async Task Parse_ConsoleEvaluationLog_MetadataFromHeader()
    {
        var m = await Header("sample-console-logs", StepTableKind.Evaluation);
        // grep ' \* /WORLD_NAME:' -> " * /WORLD_NAME: reinvent_base"; grep ' \* /JOB_TYPE:' -> EVALUATION
        Assert.Equal("reinvent_base", m.WorldName);
        Assert.Equal("EVALUATION", m.JobType);
        // grep -A14 'Using the following hyper' -> batch_size 64, discount_factor 0.999, num_epochs 10, num_episodes_between_training 20
        Assert.NotNull(m.Hyperparameters);
        Assert.Equal(64, m.Hyperparameters.BatchSize);
        Assert.Equal(20, m.Hyperparameters.NumEpisodesBetweenTraining);
        Assert.Equal(0.999, m.Hyperparameters.DiscountFactor);
        Assert.Equal(10, m.Hyperparameters.NumEpochs);
        // grep 'ction space from file' | grep -o steering_angle | wc -l -> 14
        Assert.NotNull(m.ActionSpace);
        Assert.False(m.ActionSpace.IsContinuous);
        Assert.Equal(14, m.ActionSpace.Actions.Count);
        Assert.Equal(new DiscreteAction(1, -30.0, 2.0), m.ActionSpace.Actions[1]);
        // the first Sensor list line is Python 2 form ([u'...]) and is skipped; the "['" line gives:
        Assert.NotNull(m.Agent);
        Assert.Equal(["FRONT_FACING_CAMERA"], m.Agent.SensorList);
        Assert.Equal("DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", m.Agent.Network);
        Assert.Equal("4.0", m.Agent.SimappVersion);
    }

    [Fact]
    public async Task Parse_DroaTrainingLog_MetadataFromHeader()
    {
        var m = await Header("sample-droa-solution-logs", StepTableKind.Training);
        // grep 'World name passed in YAML:' -> Spain_track (no 'Updating world name' line in this log)
        Assert.Equal("Spain_track", m.WorldName);
        // grep -o "'JOB_TYPE': '[A-Z_]*'" -> 'JOB_TYPE': 'TRAINING'
        Assert.Equal("TRAINING", m.JobType);
        Assert.NotNull(m.Hyperparameters);
        Assert.Equal(64, m.Hyperparameters.BatchSize);
        Assert.Equal(20, m.Hyperparameters.NumEpisodesBetweenTraining);
        Assert.Equal(3, m.Hyperparameters.NumEpochs);
        Assert.Equal(0.0003, m.Hyperparameters.LearningRate);
        Assert.Equal("huber", m.Hyperparameters.LossType);
        Assert.Equal(13, m.Hyperparameters.Values.Count);
        // 11 actions without 'index': first {'speed': 1, 'steering_angle': -25}, last {'speed': 1, 'steering_angle': 25}
        Assert.NotNull(m.ActionSpace);
        Assert.Equal(11, m.ActionSpace.Actions.Count);
        Assert.Equal(new DiscreteAction(0, -25, 1), m.ActionSpace.Actions[0]);
        Assert.Equal(new DiscreteAction(10, 25, 1), m.ActionSpace.Actions[10]);
        Assert.NotNull(m.Agent);
        Assert.Equal("6.0", m.Agent.SimappVersion);
        Assert.Equal("DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", m.Agent.Network);
        Assert.Equal("clipped_ppo", m.Agent.TrainingAlgorithm);
        Assert.Equal("discrete", m.Agent.ActionSpaceType);
    }

    [Fact]
    public async Task Parse_DroaEvaluationLog_JobTypeEvaluation()
    {
        var m = await Header("sample-droa-solution-logs", StepTableKind.Evaluation);
        Assert.Equal("EVALUATION", m.JobType);
        Assert.Equal("Spain_track", m.WorldName);
        Assert.Equal("6.0", m.Agent?.SimappVersion);
    }

    [Fact]
    public async Task Parse_UpdatedWorldNameAndContinuousActionSpace_Read()
    {
        const string text = """
            [download_params_and_roslaunch_agent_node-1] World name passed in YAML: reInvent2019_wide
            [download_params_and_roslaunch_agent_node-1] Track direction passed in YAML: True
            [download_params_and_roslaunch_agent_node-1] Updating world name based on track direction YAML parameter: reInvent2019_wide_cw
            [download_params_and_roslaunch_agent_node-1] [agent-9] Sensor list ['FRONT_FACING_CAMERA', 'LIDAR'], network DEEP_CONVOLUTIONAL_NETWORK_DEEP, simapp_version 5.0, training_algorithm sac, action_space_type continuous
            [download_params_and_roslaunch_agent_node-1] [agent-9] Action space from file: [{'steering_angle': -30.0, 'speed': 1.0, 'index': 0}]
            [download_params_and_roslaunch_agent_node-1] [agent-9] Loaded action space from file: {'speed': {'high': 2, 'low': 1}, 'steering_angle': {'high': 25, 'low': -25}}
            [download_params_and_roslaunch_agent_node-1] [agent-9] Using the following hyper-parameters
            [download_params_and_roslaunch_agent_node-1] [agent-9] {
            [download_params_and_roslaunch_agent_node-1] [agent-9]   "batch_size": 128,
            [download_params_and_roslaunch_agent_node-1] [agent-9]   "num_episodes_between_training": 5
            [download_params_and_roslaunch_agent_node-1] [agent-9] }
            SIM_TRACE_LOG:6,1,3.1999,0.6831,0.1858,-30.00,1.00,0,0.0000,False,True,0.7913,1,17.71,6.211,prepare,0.00
            SIM_TRACE_LOG:11,1,3.1999,0.6831,0.1858,-30.00,1.00,0,0.0000,False,True,0.7913,1,17.71,7.211,prepare,0.00

            """;
        using var dir = new TempDir();
        using var log = await DeepRacerLog.OpenAsync(dir.Write("job-simulation.log", text));
        var steps = await log.LoadLogsAsync(StepTableKind.Training);
        var m = log.LogMetadata!;
        Assert.Equal("reInvent2019_wide_cw", m.WorldName);
        Assert.Equal(["FRONT_FACING_CAMERA", "LIDAR"], m.Agent?.SensorList);
        Assert.Equal("5.0", m.Agent?.SimappVersion);
        // the last action space line wins
        Assert.True(m.ActionSpace?.IsContinuous);
        Assert.Equal((-25.0, 25.0), m.ActionSpace!.SteeringAngle);
        Assert.Equal((1.0, 2.0), m.ActionSpace.Speed);
        Assert.Equal(128, m.Hyperparameters?.BatchSize);
        // iteration = floor(episode / num_episodes_between_training = 5)
        Assert.Equal([1, 2], steps.Iteration.ToArray());
    }

    [Fact]
    public async Task Parse_NoHeader_EmptyMetadata()
    {
        var m = await HeaderOfText("SIM_TRACE_LOG:0,1,3.1999,0.6831,0.1858,-30.00,1.00,0,0.0000,False,True,0.7913,1,17.71,6.211,prepare,0.00\n");
        Assert.Null(m.Hyperparameters);
        Assert.Null(m.ActionSpace);
        Assert.Null(m.Agent);
        Assert.Null(m.WorldName);
    }

    [Fact]
    public async Task LoadInfo_ConsoleSample_FilesFirstThenLogForWorld()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-console-logs"));
        var info = await log.LoadInfoAsync();
        // ip/hyperparameters.json: discount_factor 0.95 (the log header says 0.999: the file wins)
        Assert.Equal(0.95, info.Hyperparameters?.DiscountFactor);
        Assert.Equal(14, info.ActionSpace?.Actions.Count); // model_metadata.json: 14 actions
        Assert.Equal("4.0", info.Agent?.SimappVersion); // "version": "4.0"
        Assert.Equal("reinvent_base", info.WorldName);
    }

    [Fact]
    public async Task LoadInfo_DroaSample_FromLogHeader()
    {
        using var log = await DeepRacerLog.OpenAsync(TestSupport.Sample("sample-droa-solution-logs"));
        var info = await log.LoadInfoAsync();
        Assert.Equal(11, info.ActionSpace?.Actions.Count);
        Assert.Equal(20, info.Hyperparameters?.NumEpisodesBetweenTraining);
        Assert.Equal("Spain_track", info.WorldName);
        Assert.Equal("TRAINING", info.Job.GetValueOrDefault("JOB_TYPE"));
    }
}
