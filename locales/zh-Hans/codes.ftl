# 账本记录的状态、类别等代码，按居民习惯的说法。
# 每个代码一条：`组-代码`（事件类型中的点改为连字符）。

status-submitted = 已提交
status-admitted = 已受理
status-returned = 已退回
status-withdrawn = 已撤回
status-adopted = 已通过
status-rejected = 未通过
status-in-progress = 办理中
status-completed = 已办结
status-scheduled = 待召开
status-open = 进行中
status-closed = 已结束
status-cancelled = 已取消
status-convened = 已召集
status-agreed = 已达成协议
status-failed = 未达成协议
status-counting = 计票中
status-filed = 已立案
status-mediating = 调解中
status-escalated = 已上报
status-negotiating = 协商中
status-resolved = 已解决
status-implemented = 已落实
status-fulfilled = 已兑现
status-overdue = 已逾期
status-pending = 未到期

category-infrastructure = 基础设施
category-parking = 停车
category-groceries = 买菜购物
category-medical = 看病就医
category-employment = 就业
category-environment = 环境
category-safety = 安全
category-services = 便民服务
category-property = 物业管理
category-other = 其他

stance-support = 支持
stance-oppose = 反对
stance-neutral = 中立

role-representative = 居民代表
role-resident = 居民
role-expert = 专家
role-official = 工作人员
role-speaker = 发言人
role-chair = 主持人
role-clerk = 记录员
role-party-member = 党员
role-member-unit = 成员单位

side-owners = 业主方
side-developer = 开发商方
side-residents = 居民方
side-tenants = 租户方
side-property-company = 物业公司方

format-joint-meeting = 联席会议
format-dialogue = 对话会
format-joint-representatives = 联合代表会议
format-coordination-committee = 协调委员会

outcome-adopted = 通过
outcome-rejected = 未通过
outcome-succeeded = 成功
outcome-failed = 未成功

threshold-majority = 过半数
threshold-two-thirds = 三分之二
threshold-unanimous = 全体一致

scheme-encrypted = 加密投票（可核验）
scheme-sealed-urn = 密封票箱
scheme-open = 公开投票
scheme-in-room = 现场表决

option-yes = 赞成
option-no = 反对
option-abstain = 弃权

pledgekind-money = 资金
pledgekind-labour = 出工
pledgekind-expertise = 专业技能

orgkind-subdistrict = 街道
orgkind-party-committee = 党委
orgkind-party-branch = 党支部
orgkind-residents-committee = 居委会
orgkind-homeowners-committee = 业主委员会
orgkind-property-rights-unit = 产权单位
orgkind-property-company = 物业公司
orgkind-developer = 开发商
orgkind-member-unit = 成员单位
orgkind-coordination-committee = 协调委员会
orgkind-other = 其他组织

event-ledger-initialized = 账本启用
event-ledger-checkpoint-recorded = 签署检查点
event-registry-reference-assigned = 分配编号
event-organisation-registered = 登记组织
event-person-registered = 登记人员
event-person-erased = 删除个人信息
event-proposal-submitted = 提交提案
event-proposal-cosigned = 附议
event-proposal-admitted = 受理
event-proposal-returned = 退回提案人
event-proposal-withdrawn = 撤回
event-proposal-decided = 作出决定
event-proposal-assigned = 交办
event-proposal-progress-reported = 报告进度
event-proposal-completed = 办结
event-pledge-made = 认捐
event-pledge-fulfilled = 认捐兑现
event-hearing-scheduled = 安排听证会
event-hearing-participant-registered = 登记参加人
event-hearing-opened = 听证会开始
event-hearing-statement-recorded = 记录发言
event-hearing-closed = 听证会结束
event-hearing-cancelled = 听证会取消
event-consultation-convened = 召集协商
event-consultation-position-stated = 陈述立场
event-consultation-agreement-reached = 达成协议
event-consultation-failed = 未达成协议
event-consultation-commitment-made = 作出承诺
event-consultation-commitment-fulfilled = 承诺兑现
event-ballot-opened = 开始表决
event-ballot-cast = 投票
event-ballot-secret-choice-recorded = 无记名投票
event-ballot-election-key-published = 公布选举公钥
event-ballot-encrypted-cast = 加密投票
event-ballot-casting-ended = 停止投票
event-ballot-tally-decrypted = 解密计票
event-ballot-closed = 表决结束
event-ballot-taken-in-room = 现场表决
event-ballot-room-counts-recorded = 登记现场表决结果
event-dispute-filed = 纠纷立案
event-dispute-mediation-attempted = 调解
event-dispute-escalated = 上报
event-dispute-negotiation-held = 主持协商
event-dispute-resolved = 纠纷解决
event-dispute-resolution-implemented = 落实解决方案
event-dispute-closed = 结案
event-dispute-withdrawn = 撤回纠纷
event-correction-recorded = 记录更正
event-correction-amended = 更正记录内容
event-correction-voided = 撤销误记
event-document-attached = 附上文件
event-document-withdrawn = 撤回文件
event-test-noted = 测试记录

# 本版网站尚无译名的代码。
code-unknown = 其他记录
